//! Name tables: maps from names (contact ids, emails, sequence, list and
//! property names, index keys) to dense indices.
//!
//! The hasher is a multiply-rotate hash over 8-byte words (the scheme of
//! the Rust compiler's `FxHasher`) with a final mix: much faster than
//! SipHash on short keys. It is not resistant to deliberately colliding keys, which costs
//! time, never correctness. Iteration order of these maps never reaches
//! output.

use super::record::Name;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by names.
pub(crate) type NameMap<K, V> = HashMap<K, V, BuildHasherDefault<NameHasher>>;

/// A fast, non-cryptographic hasher for short keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct NameHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl NameHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(rest) {
                *w = *b;
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits depending only on the low bytes
        // of the key (`c-1…` ids share them), and hashbrown picks buckets
        // by the low bits: mix the high bits down (murmur3's finalizer).
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Ids up to this many bytes are kept inside the map's slots.
const INLINE: usize = 23;

/// A short id stored inline: comparing it reads no other memory.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct InlineId {
    len: u8,
    bytes: [u8; INLINE],
}

impl InlineId {
    /// The id kept inline, if it is short enough.
    pub(crate) fn new(id: &str) -> Option<InlineId> {
        let src = id.as_bytes();
        let len = u8::try_from(src.len())
            .ok()
            .filter(|&l| usize::from(l) <= INLINE)?;
        let mut bytes = [0u8; INLINE];
        for (b, s) in bytes.iter_mut().zip(src) {
            *b = *s;
        }
        Some(InlineId { len, bytes })
    }
}

/// Contact ids → dense indices. Short ids (the usual case) live inside the
/// table, so a lookup costs one cache line rather than a pointer chase to
/// the key's text; longer ids fall back to a map of strings.
#[derive(Default, Clone)]
pub(crate) struct IdMap {
    short: NameMap<InlineId, u32>,
    long: NameMap<String, u32>,
}

impl IdMap {
    /// The index of `id`.
    pub fn get(&self, id: &str) -> Option<u32> {
        match InlineId::new(id) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(id).copied(),
        }
    }

    /// Makes room for `n` more ids.
    pub fn reserve(&mut self, n: usize) {
        self.short.reserve(n);
    }

    /// Whether `id` is present.
    pub fn contains_key(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// Maps `id` to `index`.
    pub fn insert(&mut self, id: &str, index: u32) {
        match InlineId::new(id) {
            Some(k) => {
                self.short.insert(k, index);
            }
            None => {
                self.long.insert(id.to_owned(), index);
            }
        }
    }
}

/// A contact's id kept in the contact's own record: ids of up to 23 bytes
/// inline (no pointer to a separate allocation, so writing a record's
/// `contact` reads memory already in cache), longer ones on the heap.
pub(crate) type ContactId = smol_str::SmolStr;

/// How many indices an [`IndexSet`] keeps inside itself.
const INLINE_SET: usize = 5;

/// A sorted set of indices (a contact's fired rules) kept inside its owner
/// while it has at most five members, spilling to the heap beyond: most
/// contacts' sets are small, and reading them then costs no load from a
/// separate allocation.
#[derive(Clone)]
pub(crate) enum IndexSet {
    /// Up to [`INLINE_SET`] members; `items[..len]` are sorted.
    Inline {
        /// The number of members.
        len: u8,
        /// The members, then unused slots.
        items: [u32; INLINE_SET],
    },
    /// More members, sorted.
    Heap(Vec<u32>),
}

impl Default for IndexSet {
    fn default() -> IndexSet {
        IndexSet::Inline {
            len: 0,
            items: [0; INLINE_SET],
        }
    }
}

impl IndexSet {
    /// The set of the indices in `v` (sorted and without duplicates).
    pub(crate) fn from_sorted(v: Vec<u32>) -> IndexSet {
        if v.len() <= INLINE_SET {
            let mut set = IndexSet::default();
            if let IndexSet::Inline { len, items } = &mut set {
                for (slot, x) in items.iter_mut().zip(&v) {
                    *slot = *x;
                }
                *len = u8::try_from(v.len()).unwrap_or(0);
            }
            set
        } else {
            IndexSet::Heap(v)
        }
    }

    /// The members, sorted.
    pub(crate) fn as_slice(&self) -> &[u32] {
        match self {
            IndexSet::Inline { len, items } => items.get(..usize::from(*len)).unwrap_or(&[]),
            IndexSet::Heap(v) => v,
        }
    }

    /// Whether `x` is a member.
    pub(crate) fn contains(&self, x: u32) -> bool {
        self.as_slice().binary_search(&x).is_ok()
    }

    /// Adds `x` (nothing when it is a member).
    pub(crate) fn insert(&mut self, x: u32) {
        let Err(pos) = self.as_slice().binary_search(&x) else {
            return;
        };
        match self {
            IndexSet::Inline { len, items } if usize::from(*len) < INLINE_SET => {
                let n = usize::from(*len);
                if let Some(tail) = items.get_mut(pos..=n) {
                    tail.rotate_right(1);
                    if let Some(first) = tail.first_mut() {
                        *first = x;
                    }
                }
                *len += 1;
            }
            IndexSet::Inline { len, items } => {
                let mut v = Vec::with_capacity(2 * INLINE_SET);
                v.extend_from_slice(items.get(..usize::from(*len)).unwrap_or(&[]));
                v.insert(pos, x);
                *self = IndexSet::Heap(v);
            }
            IndexSet::Heap(v) => v.insert(pos, x),
        }
    }
}

/// Marks a [`Name`](super::record::Name) that is not in the engine's
/// [`TraceNames`].
pub(crate) const NO_ID: u32 = u32::MAX;

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
    index: NameMap<Box<str>, u32>,
}

impl TraceNames {
    /// The index of `name`, added if new.
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let Ok(id) = u32::try_from(self.names.len()) else {
            return NO_ID;
        };
        if id == NO_ID {
            return NO_ID;
        }
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

    /// The text of index `id` (empty for an unknown index).
    pub(crate) fn get(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
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
    id: u32,
}

impl Interned {
    /// The name as records carry it.
    pub(crate) fn name(&self) -> Name<'_> {
        Name::interned(&self.text, self.id)
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
