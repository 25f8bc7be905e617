//! The flow's enrollment triggers as script triggers: the event branches
//! (form submission, property change, meeting booked, contact created,
//! email reply) and the list-membership branches. A trigger may bring a
//! condition of its own (a property change to any value is
//! `property_changed("p")` with `contact.p is set`).

use super::Importer;
use super::filters::{Cond, quote};
use crate::crm::ids::Kind;
use crate::crm::json::{Node, Problem};
use crate::crm::mapping;

/// A trigger's text and its own condition.
pub(super) type Trigger = (String, Option<Cond>);

impl Importer<'_> {
    /// One `UNIFIED_EVENTS` branch of `eventFilterBranches`.
    pub(super) fn event_branch(&mut self, b: &Node<'_>) -> Result<Vec<Trigger>, Problem> {
        let event = b.text_field("eventTypeId")?;
        if let Some(op) = b.get("operator") {
            let op = op.text()?;
            if op != "HAS_COMPLETED" {
                self.warn(
                    None,
                    format!("an event trigger with operator `{op}` has no form in a script; not imported (at `{}`)", b.path),
                );
                return Ok(Vec::new());
            }
        }
        let filters = b.array_field("filters")?;
        if !b.array_field("filterBranches")?.is_empty() {
            self.warn(
                None,
                format!(
                    "nested branches of an event trigger are not imported (at `{}`)",
                    b.path
                ),
            );
        }
        match event.as_str() {
            mapping::EVENT_FORM => self.form_trigger(&filters),
            mapping::EVENT_PROPERTY => self.property_trigger(b, &filters),
            _ => {
                if let Some((_, name)) = mapping::PLAIN_EVENTS.iter().find(|(id, _)| *id == event) {
                    if !filters.is_empty() {
                        self.warn(
                            None,
                            format!(
                                "the filters of the `{name}` trigger are not imported (at `{}`)",
                                b.path
                            ),
                        );
                    }
                    return Ok(vec![(format!("{name}()"), None)]);
                }
                self.warn(
                    None,
                    format!(
                        "the trigger on {} has no form in a script; not imported",
                        mapping::event_name(&event)
                    ),
                );
                Ok(Vec::new())
            }
        }
    }

    /// One branch of `listMembershipFilterBranches`: an `IN_LIST` filter
    /// (anywhere in the branch) is "added to the list".
    pub(super) fn list_branch(&mut self, b: &Node<'_>) -> Result<Vec<Trigger>, Problem> {
        let mut out = Vec::new();
        let mut filters = b.array_field("filters")?;
        for inner in b.array_field("filterBranches")? {
            filters.extend(inner.array_field("filters")?);
        }
        for f in filters {
            let kind = f.text_field("filterType")?;
            let operator = f.get("operator").map(|o| o.text()).transpose()?;
            if kind != "IN_LIST" || operator.as_deref().is_some_and(|o| o != "IN_LIST") {
                self.warn(None, format!("a list membership trigger other than \"added to a list\" is not imported (at `{}`)", f.path));
                continue;
            }
            let id = f.text_field("listId")?;
            let list = self.name(Kind::List, &id);
            out.push((format!("list_added({})", quote(&list)), None));
        }
        Ok(out)
    }

    /// A form submission: one trigger per form in `hs_form_id`, or any
    /// form when there is no filter.
    fn form_trigger(&mut self, filters: &[Node<'_>]) -> Result<Vec<Trigger>, Problem> {
        let mut out = Vec::new();
        for f in filters {
            let property = f.get("property").map(|p| p.text()).transpose()?;
            if property.as_deref() != Some("hs_form_id") {
                self.warn(None, format!("a form trigger's filter other than on `hs_form_id` is not imported (at `{}`)", f.path));
                continue;
            }
            let op = f.req("operation")?;
            let mut ids = Vec::new();
            for v in op.array_field("values")? {
                ids.push(v.text()?);
            }
            if let Some(v) = op.get("value") {
                ids.push(v.text()?);
            }
            for id in ids {
                let form = self.name(Kind::Form, &id);
                out.push((format!("form_submitted({})", quote(&form)), None));
            }
        }
        if out.is_empty() && filters.is_empty() {
            out.push(("form_submitted()".to_owned(), None));
        }
        Ok(out)
    }

    /// A property change: `hs_name` names the property and `hs_value` the
    /// new value; a direct filter on the property says both.
    fn property_trigger(
        &mut self,
        b: &Node<'_>,
        filters: &[Node<'_>],
    ) -> Result<Vec<Trigger>, Problem> {
        let mut property = None;
        let mut value = None;
        for f in filters {
            let name = f.text_field("property")?;
            match name.as_str() {
                "hs_name" => {
                    let op = f.req("operation")?;
                    let v = match op.get("value") {
                        Some(v) => v.text()?,
                        None => match op.array_field("values")?.as_slice() {
                            [v] => v.text()?,
                            _ => return Err(op.problem("`hs_name` names one property")),
                        },
                    };
                    property = Some(v);
                }
                "hs_value" => value = Some(f.req("operation")?),
                _ => {
                    property = Some(name);
                    value = Some(f.req("operation")?);
                }
            }
        }
        let Some(crm) = property else {
            self.warn(
                None,
                format!(
                    "a property change trigger that names no property is not imported (at `{}`)",
                    b.path
                ),
            );
            return Ok(Vec::new());
        };
        let name = mapping::property_from_crm(&crm).to_owned();
        if !super::filters::is_ident(&name) {
            self.warn(
                None,
                format!(
                    "property `{crm}` has no name a script can use; its trigger is not imported"
                ),
            );
            return Ok(Vec::new());
        }
        let plain = format!("property_changed({})", quote(&name));
        let Some(op) = value else {
            return Ok(vec![(plain, None)]);
        };
        let operator = op.text_field("operator")?;
        match operator.as_str() {
            "IS_ANY_OF" | "IS_EQUAL_TO" | "IS_EXACTLY" => {
                let values = self.literals(&crm, &op)?;
                if values.is_empty() {
                    return Ok(vec![(plain, None)]);
                }
                Ok(values
                    .into_iter()
                    .map(|v| (format!("property_changed({}, to: {v})", quote(&name)), None))
                    .collect())
            }
            "IS_KNOWN" => Ok(vec![(
                plain,
                Some(Cond::Test(format!("contact.{name} is set"))),
            )]),
            "IS_UNKNOWN" | "IS_NOT_KNOWN" => Ok(vec![(
                plain,
                Some(Cond::Test(format!("contact.{name} is not set"))),
            )]),
            _ => match self.property_filter(&crm, &op)? {
                Ok(c) => Ok(vec![(plain, Some(c))]),
                Err(why) => {
                    self.warn(None, format!("the new value's test of a property change cannot be said ({why}); the trigger fires on any change (at `{}`)", op.path));
                    Ok(vec![(plain, None)])
                }
            },
        }
    }
}
