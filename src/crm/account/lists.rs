//! Lists from the CRM's lists export (`PublicObjectList`: `listId`,
//! `name`, `objectTypeId`), as a list response (`results`), a search
//! response (`lists`), a single fetch (`list`), an array or one list.
//!
//! Only contact lists (`objectTypeId` `0-1`) belong in the account; others
//! are skipped with a warning. The export gives no members (they are a
//! separate endpoint) and no source: both come from the overrides.

use super::out::ListOut;
use super::records;
use crate::crm::json::{Node, Problem};
use std::collections::BTreeMap;

/// The CRM's object type id of contacts.
const CONTACTS: &str = "0-1";

/// Reads every contact list; `warnings` gets the lists of other objects.
pub fn read(root: &Node<'_>, warnings: &mut Vec<String>) -> Result<Vec<ListOut>, Problem> {
    let root = match (root.get("lists"), root.get("list")) {
        (Some(lists), _) => lists,
        (None, Some(list)) => list,
        (None, None) => root.clone(),
    };
    let mut out = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for node in records(&root, "a list", "listId")? {
        let id_node = node.req("listId")?;
        let id = id_node.text()?;
        let name_node = node.req("name")?;
        let name = name_node.text()?;
        if let Some(kind) = node.get("objectTypeId") {
            let kind = kind.text()?;
            if kind != CONTACTS {
                warnings.push(format!(
                    "list `{id}` (`{name}`) holds objects of type `{kind}`, not contacts: not imported"
                ));
                continue;
            }
        }
        if let Some(first) = ids.get(&id) {
            return Err(id_node.problem(format!("duplicate list id `{id}` (first at `{first}`)")));
        }
        if let Some(first) = names.get(&name) {
            return Err(name_node.problem(format!(
                "duplicate list `{name}` (first at `{first}`): scripts name lists by name"
            )));
        }
        ids.insert(id.clone(), id_node.path.clone());
        names.insert(name.clone(), name_node.path.clone());
        out.push(ListOut {
            name,
            source: None,
            members: Vec::new(),
            crm_id: id,
        });
    }
    Ok(out)
}
