//! The CRM's ids and the account's names: forms, lists, sequences, users
//! and owners. Import turns ids into names (an id no account entry has
//! becomes `"crm:<id>"`, which `wf check` then flags); export turns names
//! back into ids (`"crm:<id>"` gives the id itself).

use crate::account::Account;

/// The prefix of a name that stands for a CRM id the account does not map.
pub const UNMAPPED: &str = "crm:";

/// What an id names, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A form.
    Form,
    /// A contact list.
    List,
    /// A sequence.
    Sequence,
    /// A user (a fixed sender).
    User,
    /// An owner (the value of the owner property).
    Owner,
}

impl Kind {
    /// The word for messages.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Form => "form",
            Kind::List => "list",
            Kind::Sequence => "sequence",
            Kind::User => "user",
            Kind::Owner => "owner",
        }
    }

    /// The account field that holds this kind's ids.
    pub fn field(self) -> &'static str {
        match self {
            Kind::Form => "forms[].crm_id",
            Kind::List => "lists[].crm_id",
            Kind::Sequence => "sequences[].crm_id",
            Kind::User => "users[].crm_user_id",
            Kind::Owner => "users[].crm_owner_id",
        }
    }
}

/// The name the account gives to the CRM id `id`, if any.
pub fn name_of(account: &Account, kind: Kind, id: &str) -> Option<String> {
    let some = |x: &Option<String>| x.as_deref() == Some(id);
    match kind {
        Kind::Form => account
            .forms
            .iter()
            .find(|f| f.crm_id == id)
            .map(|f| f.name.clone()),
        Kind::List => account
            .lists
            .iter()
            .find(|l| some(&l.crm_id))
            .map(|l| l.name.clone()),
        Kind::Sequence => account
            .sequences
            .iter()
            .find(|s| some(&s.crm_id))
            .map(|s| s.name.clone()),
        Kind::User => account
            .users
            .iter()
            .find(|u| some(&u.crm_user_id))
            .map(|u| u.email.clone()),
        Kind::Owner => account
            .users
            .iter()
            .find(|u| some(&u.crm_owner_id))
            .map(|u| u.email.clone()),
    }
}

/// The CRM id of the thing a script names `name`: the account's id, or
/// the id of a `"crm:<id>"` name. `None` when neither.
pub fn id_of(account: &Account, kind: Kind, name: &str) -> Option<String> {
    let found = match kind {
        Kind::Form => account
            .forms
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.crm_id.clone()),
        Kind::List => account.list(name).and_then(|l| l.crm_id.clone()),
        Kind::Sequence => account.sequence(name).and_then(|s| s.crm_id.clone()),
        Kind::User => account.user(name).and_then(|u| u.crm_user_id.clone()),
        Kind::Owner => account.user(name).and_then(|u| u.crm_owner_id.clone()),
    };
    found.or_else(|| {
        name.strip_prefix(UNMAPPED)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
    })
}
