//! Name tables: maps from names (contact ids, emails, sequence, list and
//! property names, index keys) to dense indices, and the table of the
//! names records mention.
//!
//! The maps hash with `rustc-hash` (the Fx hasher of the Rust compiler):
//! much faster than SipHash on short keys, not resistant to deliberately
//! colliding keys, which costs time, never correctness. Iteration order of
//! these maps never reaches output.

use super::record::Name;
use smallvec::SmallVec;
use std::collections::HashMap;

/// A map keyed by names.
pub(crate) type NameMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// Contact ids → dense indices. Ids of up to 23 bytes (the usual case) are
/// kept inside the table's slots ([`ContactId`]), so a lookup reads no
/// separate allocation.
#[derive(Default, Clone)]
pub(crate) struct IdMap {
    map: NameMap<ContactId, u32>,
}

impl IdMap {
    pub fn get(&self, id: &str) -> Option<u32> {
        self.map.get(id).copied()
    }

    pub fn reserve(&mut self, n: usize) {
        self.map.reserve(n);
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.map.contains_key(id)
    }

    pub fn insert(&mut self, id: &str, index: u32) {
        self.map.insert(ContactId::new(id), index);
    }
}

/// A contact's id kept in the contact's own record: ids of up to 23 bytes
/// inline (no pointer to a separate allocation, so writing a record's
/// `contact` reads memory already in cache), longer ones on the heap.
pub(crate) type ContactId = smol_str::SmolStr;

/// A sorted set of indices (a contact's fired rules), kept inline while
/// it has at most five members: most contacts' sets are that small, and
/// reading them then costs no load from a separate allocation.
#[derive(Clone, Default)]
pub(crate) struct IndexSet(SmallVec<[u32; 5]>);

impl IndexSet {
    /// The set of the indices in `v` (sorted and without duplicates).
    pub(crate) fn from_sorted(v: Vec<u32>) -> IndexSet {
        IndexSet(SmallVec::from_vec(v))
    }

    /// The members, sorted.
    pub(crate) fn as_slice(&self) -> &[u32] {
        &self.0
    }

    pub(crate) fn contains(&self, x: u32) -> bool {
        self.0.binary_search(&x).is_ok()
    }

    /// Adds `x` (nothing when it is a member).
    pub(crate) fn insert(&mut self, x: u32) {
        if let Err(pos) = self.0.binary_search(&x) {
            self.0.insert(pos, x);
        }
    }
}

/// The index of a name in the engine's [`TraceNames`]. Only the table
/// makes one, and the table never forgets a name, so a `NameId` always
/// names a text of the table it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct NameId(usize);

impl NameId {
    /// The position in the table (and in every copy of it).
    pub(crate) fn index(self) -> usize {
        self.0
    }

    /// An id for a test that builds its own table of names.
    #[cfg(test)]
    pub(crate) fn for_test(index: usize) -> NameId {
        NameId(index)
    }
}

/// The names records mention other than contact ids — sequences, senders,
/// send-from addresses, rules and workflows — each kept once under a
/// stable index. Append-only: an index, once given, names the same text
/// for the engine's whole life, so a copy of the table taken at any time
/// ([`TraceNames::snapshot`]) reads every index it holds correctly, and a
/// trace writer on another thread can take a record's names by index
/// instead of copying their text.
#[derive(Default, Clone)]
pub(crate) struct TraceNames {
    names: Vec<Box<str>>,
    index: NameMap<Box<str>, NameId>,
}

impl TraceNames {
    /// The index of `name`, added if new.
    pub(crate) fn intern(&mut self, name: &str) -> NameId {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = NameId(self.names.len());
        self.names.push(name.into());
        self.index.insert(name.into(), id);
        id
    }

    /// `name` as an [`Interned`] (added if new).
    pub(crate) fn interned(&mut self, name: &str) -> Interned {
        Interned {
            id: self.intern(name),
            text: name.into(),
        }
    }

    /// The text of `id`.
    pub(crate) fn get(&self, id: NameId) -> &str {
        // INVARIANT: `id` was made by `intern` on this table, which never
        // removes a name, so it is in range. Indexing out of range would be
        // a bug in the engine: a panic, reported as an internal error.
        #[allow(clippy::indexing_slicing)]
        &self.names[id.0]
    }

    /// The names so far, by index.
    pub(crate) fn snapshot(&self) -> Vec<Box<str>> {
        self.names.clone()
    }
}

/// A name the engine keeps for records — a sequence, user, address, rule
/// or workflow — together with its index in the [`TraceNames`], so that
/// the two cannot part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Interned {
    text: Box<str>,
    id: NameId,
}

impl Interned {
    /// The name as records carry it.
    pub(crate) fn name(&self) -> Name<'_> {
        Name::interned(&self.text, self.id)
    }

    /// The index in the engine's table of names.
    pub(crate) fn id(&self) -> NameId {
        self.id
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for Interned {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}
