//! The trigger signatures of SPEC §3: one entry per trigger, shared by the
//! checker (argument and `event.X` checks) and the runtime (matching events).
//!
//! Adding a trigger is one entry in [`TRIGGERS`]. A trigger's name is the
//! event `type` it matches; each argument names the event field it must
//! equal.

/// The type of an event field or trigger argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text.
    String,
    /// A number.
    Number,
    /// One of a fixed set of strings.
    OneOf(&'static [&'static str]),
    /// Any literal: the type depends on something else (`property_changed`'s
    /// `to:` takes the type of the named property).
    Any,
}

/// An event field that rules can read as `event.NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The field's name.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
}

/// A trigger argument: which event field it must equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The argument's name (for a named argument) and the event field it
    /// compares with.
    pub field: &'static str,
    /// The argument's type.
    pub ty: FieldType,
    /// Whether the argument must be given.
    pub required: bool,
}

/// A trigger's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The trigger's name, which is also the event `type` it matches.
    pub name: &'static str,
    /// The positional argument, if the trigger takes one.
    pub positional: Option<Param>,
    /// Named arguments (`to:`, `from:`, `source:`).
    pub named: &'static [Param],
    /// The fields of the event, for `event.X`.
    pub fields: &'static [Field],
}

/// The outcomes of a `meeting_outcome` event.
pub const MEETING_OUTCOMES: &[&str] = &[
    "scheduled",
    "completed",
    "rescheduled",
    "no_show",
    "canceled",
];

const fn param(field: &'static str, ty: FieldType, required: bool) -> Param {
    Param {
        field,
        ty,
        required,
    }
}

const fn field(name: &'static str, ty: FieldType) -> Field {
    Field { name, ty }
}

const fn bare(name: &'static str) -> Signature {
    Signature {
        name,
        positional: None,
        named: &[],
        fields: &[],
    }
}

use FieldType::{Any, Number, OneOf, String};

/// Every trigger of the language.
pub const TRIGGERS: &[Signature] = &[
    Signature {
        name: "form_submitted",
        positional: Some(param("form", String, false)),
        named: &[],
        fields: &[field("form", String)],
    },
    Signature {
        name: "deal_stage_changed",
        positional: None,
        named: &[param("to", String, false), param("from", String, false)],
        fields: &[
            field("to", String),
            field("from", String),
            field("deal", String),
            field("amount", Number),
        ],
    },
    Signature {
        name: "meeting_outcome",
        positional: Some(param("outcome", OneOf(MEETING_OUTCOMES), false)),
        named: &[],
        fields: &[field("outcome", OneOf(MEETING_OUTCOMES))],
    },
    bare("meeting_booked"),
    bare("email_replied"),
    bare("email_bounced"),
    bare("unsubscribed"),
    bare("task_completed"),
    Signature {
        name: "property_changed",
        positional: Some(param("property", String, true)),
        named: &[param("to", Any, false)],
        fields: &[field("property", String), field("value", Any)],
    },
    Signature {
        name: "list_added",
        positional: Some(param("list", String, true)),
        named: &[],
        fields: &[field("list", String)],
    },
    Signature {
        name: "list_removed",
        positional: Some(param("list", String, true)),
        named: &[],
        fields: &[field("list", String)],
    },
    Signature {
        name: "contact_created",
        positional: None,
        named: &[param("source", String, false)],
        fields: &[field("source", String)],
    },
];

/// The signature of the trigger called `name`.
pub fn lookup(name: &str) -> Option<&'static Signature> {
    TRIGGERS.iter().find(|t| t.name == name)
}

impl Signature {
    /// The event field called `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The named parameter called `name`.
    pub fn named_param(&self, name: &str) -> Option<&'static Param> {
        self.named.iter().find(|p| p.field == name)
    }
}

/// Note on `property_changed(…, to: V)`: the `to:` argument compares with
/// the event's `value` field, not a field called `to`.
pub fn event_field_of(trigger: &str, param: &str) -> &'static str {
    match (trigger, param) {
        ("property_changed", "to") => "value",
        _ => {
            // INVARIANT: every other parameter is named after its field.
            lookup(trigger)
                .and_then(|t| {
                    t.positional
                        .iter()
                        .chain(t.named.iter())
                        .find(|p| p.field == param)
                        .map(|p| p.field)
                })
                .unwrap_or("")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_is_found_by_name() {
        for t in TRIGGERS {
            assert_eq!(lookup(t.name), Some(t));
        }
        assert_eq!(lookup("form_submited"), None);
    }

    #[test]
    fn property_changed_to_compares_the_value() {
        assert_eq!(event_field_of("property_changed", "to"), "value");
        assert_eq!(event_field_of("deal_stage_changed", "to"), "to");
        assert_eq!(event_field_of("form_submitted", "form"), "form");
    }
}
