//! Users from the CRM's users export (`PublicUser`: `id`, `email`,
//! `firstName`, `lastName`) joined with its owners export (`PublicOwner`:
//! `id`, `email`, `userId`, `firstName`, `lastName`).
//!
//! A user is identified by email. An owner belongs to the user whose id is
//! its `userId`, or else to the user with its email; an owner with neither
//! becomes a user of its own (contacts may be owned by it); an owner
//! without an email cannot be a user and is skipped with a warning. Seats,
//! inboxes and send limits come from the overrides only.

use super::out::UserOut;
use super::records;
use crate::crm::json::{Node, Problem};
use std::collections::{BTreeMap, BTreeSet};

/// The users, with the indexes the contacts' owner column needs.
#[derive(Debug, Default)]
pub struct People {
    /// The users, in the users export's order, then owners of their own.
    pub users: Vec<UserOut>,
    /// Owner id → the user's email, for the contacts' owner column.
    pub by_owner_id: BTreeMap<String, String>,
    /// Owner display name → the user's email (names shared by two
    /// owners are left out: they name no one).
    pub by_name: BTreeMap<String, Option<String>>,
    /// Owners without an email, by id: they own no one in the account.
    pub skipped_owners: BTreeSet<String>,
    /// User email → its index and the JSON path it was read at.
    by_email: BTreeMap<String, (usize, String)>,
    /// User id → its index.
    by_user_id: BTreeMap<String, usize>,
}

impl People {
    /// Adds a user read at `path`, with no seat, inbox or owner id yet;
    /// returns its index.
    fn add(
        &mut self,
        email: String,
        path: String,
        name: Option<String>,
        crm_user_id: Option<String>,
    ) -> usize {
        let index = self.users.len();
        self.by_email.insert(email.clone(), (index, path));
        self.users.push(UserOut {
            email,
            name,
            seats: Vec::new(),
            inboxes: Vec::new(),
            daily_send_limit: None,
            crm_user_id,
            crm_owner_id: None,
        });
        index
    }
}

/// "First Last", or `None` when both are missing or blank.
fn full_name(node: &Node<'_>) -> Result<Option<String>, Problem> {
    let mut parts = Vec::new();
    for key in ["firstName", "lastName"] {
        if let Some(n) = node.get(key) {
            let t = n.text()?;
            if !t.trim().is_empty() {
                parts.push(t.trim().to_owned());
            }
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join(" ")))
}

/// The users of the users export.
pub fn users(users: &Node<'_>) -> Result<People, Problem> {
    let mut people = People::default();
    for node in records(users, "a user", "id")? {
        let id = node.text_field("id")?;
        let email_node = node.req("email")?;
        let email = email_node.text()?;
        if email.is_empty() {
            return Err(email_node.problem("a user needs an email: it is their identity"));
        }
        if let Some((_, first)) = people.by_email.get(&email) {
            return Err(
                email_node.problem(format!("duplicate user `{email}` (first at `{first}`)"))
            );
        }
        if people.by_user_id.contains_key(&id) {
            return Err(node.req("id")?.problem(format!("duplicate user id `{id}`")));
        }
        let path = email_node.path.clone();
        let index = people.add(email, path, full_name(&node)?, Some(id.clone()));
        people.by_user_id.insert(id, index);
    }
    Ok(people)
}

/// Joins the owners export to the users; `warnings` gets the skipped
/// owners.
pub fn add_owners(
    people: &mut People,
    owners: &Node<'_>,
    warnings: &mut Vec<String>,
) -> Result<(), Problem> {
    for node in records(owners, "an owner", "id")? {
        let id_node = node.req("id")?;
        let id = id_node.text()?;
        if people.by_owner_id.contains_key(&id) || people.skipped_owners.contains(&id) {
            return Err(id_node.problem(format!("duplicate owner id `{id}`")));
        }
        let email = match node.get("email") {
            Some(e) => Some(e.text()?).filter(|e| !e.is_empty()),
            None => None,
        };
        let by_user = match node.get("userId") {
            Some(u) => people.by_user_id.get(&u.text()?).copied(),
            None => None,
        };
        let index = match (by_user, &email) {
            (Some(i), _) => Some(i),
            (None, Some(email)) => people.by_email.get(email).map(|(i, _)| *i),
            (None, None) => None,
        };
        let index = match (index, email) {
            (Some(i), _) => i,
            (None, Some(email)) => {
                let path = node.req("email")?.path;
                people.add(email, path, full_name(&node)?, None)
            }
            (None, None) => {
                warnings.push(format!(
                    "owner `{id}` (at `{}`) has no email and no user: it is not a user of the account",
                    node.path
                ));
                people.skipped_owners.insert(id);
                continue;
            }
        };
        let Some(user) = people.users.get_mut(index) else {
            continue;
        };
        if let Some(first) = &user.crm_owner_id {
            return Err(id_node.problem(format!(
                "the user `{}` already has the owner id `{first}`: one owner per user",
                user.email
            )));
        }
        user.crm_owner_id = Some(id.clone());
        people.by_owner_id.insert(id, user.email.clone());
        if let Some(name) = full_name(&node)?.or_else(|| user.name.clone()) {
            let email = user.email.clone();
            people
                .by_name
                .entry(name)
                .and_modify(|e| *e = None)
                .or_insert(Some(email));
        }
    }
    Ok(())
}
