//! The event schema: one description per event type ([`SCHEMA`]) — its
//! `type`, its fields with their types, which are required, which rules
//! can read as `event.NAME`, and which a trigger's arguments fix. The rest
//! follows from it: the trigger signatures the checker uses
//! ([`TRIGGERS`]), the fields the event reader allows and requires, and
//! the fields the rule index keys on (a trigger's first and second
//! argument). The runtime's typed events (`runtime::engine::EventKind`)
//! carry the same fields in the same order; a test checks that they agree.
//!
//! See `docs/architecture.md` ("Adding an event type or a trigger").

use std::sync::LazyLock;

/// The kinds of events, one per `type`, in [`SCHEMA`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    FormSubmitted,
    DealStageChanged,
    MeetingOutcome,
    MeetingBooked,
    EmailReplied,
    EmailBounced,
    Unsubscribed,
    TaskCompleted,
    PropertyChanged,
    ListAdded,
    ListRemoved,
    ContactCreated,
    SequenceDeleted,
    UserUpdated,
}

/// The type of an event field or trigger argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Number,
    /// One of a fixed set of strings.
    OneOf(&'static [&'static str]),
    /// Any literal: the type depends on something else (`property_changed`'s
    /// `to:` takes the type of the named property).
    Any,
}

/// How a trigger's arguments fix an event field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// No argument fixes it.
    None,
    /// The positional argument; `required` when the trigger needs it.
    Positional { required: bool },
    /// The named argument called so (`to:` fixes `property_changed`'s
    /// `value`).
    Named(&'static str),
}

/// One field of an event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    /// A line without it is rejected.
    pub required: bool,
    /// Its type as rules read it (`event.NAME`); `None` when rules cannot
    /// read it (the contact, a new contact's email, a user's settings).
    pub read: Option<FieldType>,
    pub arg: Arg,
}

/// One event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSpec {
    pub kind: EventType,
    /// The `type` as written, also the name of the trigger that matches it.
    pub name: &'static str,
    /// Whether rules can be triggered by it.
    pub trigger: bool,
    /// Besides `at` and `type`, in the order the typed event keeps them.
    pub fields: &'static [FieldSpec],
}

/// The outcomes of a `meeting_outcome` event.
pub const MEETING_OUTCOMES: &[&str] = &[
    "scheduled",
    "completed",
    "rescheduled",
    "no_show",
    "canceled",
];

use FieldType::{Any, Number, OneOf, String};

const CONTACT: FieldSpec = FieldSpec {
    name: "contact",
    required: true,
    read: None,
    arg: Arg::None,
};

const fn data(name: &'static str, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        required,
        read: None,
        arg: Arg::None,
    }
}

const fn read(name: &'static str, required: bool, ty: FieldType, arg: Arg) -> FieldSpec {
    FieldSpec {
        name,
        required,
        read: Some(ty),
        arg,
    }
}

const fn contact_only(kind: EventType, name: &'static str) -> EventSpec {
    EventSpec {
        kind,
        name,
        trigger: true,
        fields: &[CONTACT],
    }
}

/// Every event type: the one place that says what an event is.
pub const SCHEMA: [EventSpec; 14] = [
    EventSpec {
        kind: EventType::FormSubmitted,
        name: "form_submitted",
        trigger: true,
        fields: &[
            CONTACT,
            read("form", true, String, Arg::Positional { required: false }),
        ],
    },
    EventSpec {
        kind: EventType::DealStageChanged,
        name: "deal_stage_changed",
        trigger: true,
        fields: &[
            CONTACT,
            read("to", true, String, Arg::Named("to")),
            read("from", false, String, Arg::Named("from")),
            read("deal", false, String, Arg::None),
            read("amount", false, Number, Arg::None),
        ],
    },
    EventSpec {
        kind: EventType::MeetingOutcome,
        name: "meeting_outcome",
        trigger: true,
        fields: &[
            CONTACT,
            read(
                "outcome",
                true,
                OneOf(MEETING_OUTCOMES),
                Arg::Positional { required: false },
            ),
        ],
    },
    contact_only(EventType::MeetingBooked, "meeting_booked"),
    contact_only(EventType::EmailReplied, "email_replied"),
    contact_only(EventType::EmailBounced, "email_bounced"),
    contact_only(EventType::Unsubscribed, "unsubscribed"),
    contact_only(EventType::TaskCompleted, "task_completed"),
    EventSpec {
        kind: EventType::PropertyChanged,
        name: "property_changed",
        trigger: true,
        fields: &[
            CONTACT,
            read("property", true, String, Arg::Positional { required: true }),
            read("value", true, Any, Arg::Named("to")),
        ],
    },
    EventSpec {
        kind: EventType::ListAdded,
        name: "list_added",
        trigger: true,
        fields: &[
            CONTACT,
            read("list", true, String, Arg::Positional { required: true }),
        ],
    },
    EventSpec {
        kind: EventType::ListRemoved,
        name: "list_removed",
        trigger: true,
        fields: &[
            CONTACT,
            read("list", true, String, Arg::Positional { required: true }),
        ],
    },
    EventSpec {
        kind: EventType::ContactCreated,
        name: "contact_created",
        trigger: true,
        fields: &[
            CONTACT,
            data("email", false),
            data("owner", false),
            data("properties", false),
            read("source", false, String, Arg::Named("source")),
        ],
    },
    EventSpec {
        kind: EventType::SequenceDeleted,
        name: "sequence_deleted",
        trigger: false,
        fields: &[data("sequence", true)],
    },
    EventSpec {
        kind: EventType::UserUpdated,
        name: "user_updated",
        trigger: false,
        fields: &[
            data("user", true),
            data("seats", false),
            data("inboxes", false),
            data("daily_send_limit", false),
        ],
    },
];

impl EventType {
    /// Every event type, in [`SCHEMA`] order.
    pub const ALL: [EventType; 14] = [
        EventType::FormSubmitted,
        EventType::DealStageChanged,
        EventType::MeetingOutcome,
        EventType::MeetingBooked,
        EventType::EmailReplied,
        EventType::EmailBounced,
        EventType::Unsubscribed,
        EventType::TaskCompleted,
        EventType::PropertyChanged,
        EventType::ListAdded,
        EventType::ListRemoved,
        EventType::ContactCreated,
        EventType::SequenceDeleted,
        EventType::UserUpdated,
    ];

    /// This type's description.
    #[allow(clippy::indexing_slicing)]
    pub fn spec(self) -> &'static EventSpec {
        // In bounds: `SCHEMA` has one entry per type, in declaration order
        // (checked when compiling, below).
        &SCHEMA[self as usize]
    }

    /// The `type` as written (also the name of the trigger it matches).
    pub fn as_str(self) -> &'static str {
        self.spec().name
    }

    /// The type called `name`.
    pub fn parse(name: &str) -> Option<EventType> {
        SCHEMA.iter().find(|s| s.name == name).map(|s| s.kind)
    }

    /// A dense index (`0..14`).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The position of the field `name` in [`EventSpec::fields`].
    pub fn field_index(self, name: &str) -> Option<usize> {
        self.spec().fields.iter().position(|f| f.name == name)
    }

    /// The fields the rule index keys on: those a trigger's arguments fix,
    /// in schema order (the key field, then the second field).
    pub fn index_fields(self) -> (Option<usize>, Option<usize>) {
        let mut fixed = (self.spec().fields.iter().enumerate())
            .filter(|(_, f)| f.arg != Arg::None)
            .map(|(i, _)| i);
        (fixed.next(), fixed.next())
    }
}

// `SCHEMA[t as usize]` describes `t`.
#[allow(clippy::indexing_slicing)]
const _: () = {
    let mut i = 0;
    while i < SCHEMA.len() {
        assert!(SCHEMA[i].kind as usize == i && EventType::ALL[i] as usize == i);
        i += 1;
    }
};

/// An event field that rules can read as `event.NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
}

/// A trigger argument: which event field it must equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The argument's name (for a named argument) and, except for
    /// `property_changed`'s `to:`, the event field it compares with.
    pub field: &'static str,
    pub ty: FieldType,
    /// Whether the argument must be given.
    pub required: bool,
    /// The event field it compares with.
    pub event_field: &'static str,
}

/// A trigger's signature, as the checker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The trigger's name, which is also the event `type` it matches.
    pub name: &'static str,
    pub positional: Option<Param>,
    /// Named arguments (`to:`, `from:`, `source:`).
    pub named: Vec<Param>,
    /// The fields of the event, for `event.X`.
    pub fields: Vec<Field>,
}

fn signature(spec: &EventSpec) -> Signature {
    let mut sig = Signature {
        name: spec.name,
        positional: None,
        named: Vec::new(),
        fields: Vec::new(),
    };
    for f in spec.fields {
        let Some(ty) = f.read else { continue };
        sig.fields.push(Field { name: f.name, ty });
        let param = |field, required| Param {
            field,
            ty,
            required,
            event_field: f.name,
        };
        match f.arg {
            Arg::None => {}
            Arg::Positional { required } => sig.positional = Some(param(f.name, required)),
            Arg::Named(name) => sig.named.push(param(name, false)),
        }
    }
    sig
}

/// Every trigger of the language, from [`SCHEMA`].
pub static TRIGGERS: LazyLock<Vec<Signature>> =
    LazyLock::new(|| SCHEMA.iter().filter(|s| s.trigger).map(signature).collect());

/// The signature of the trigger called `name`.
pub fn lookup(name: &str) -> Option<&'static Signature> {
    TRIGGERS.iter().find(|t| t.name == name)
}

impl Signature {
    /// The event field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The named parameter called `name`.
    pub fn named_param(&self, name: &str) -> Option<&Param> {
        self.named.iter().find(|p| p.field == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_lists_the_types_in_declaration_order() {
        for (i, spec) in SCHEMA.iter().enumerate() {
            assert_eq!(spec.kind as usize, i, "{}", spec.name);
            assert_eq!(EventType::parse(spec.name), Some(spec.kind));
        }
        assert_eq!(EventType::parse("form_submited"), None);
    }

    #[test]
    fn every_trigger_is_found_by_name() {
        for t in TRIGGERS.iter() {
            assert_eq!(lookup(t.name), Some(t));
        }
        assert_eq!(lookup("form_submited"), None);
        assert_eq!(lookup("sequence_deleted"), None);
        assert_eq!(TRIGGERS.len(), 12);
    }

    #[test]
    fn signatures_follow_from_the_schema() {
        let pc = lookup("property_changed").unwrap();
        assert_eq!(
            pc.positional.map(|p| (p.field, p.required)),
            Some(("property", true))
        );
        let to = pc.named_param("to").unwrap();
        assert_eq!((to.event_field, to.ty), ("value", FieldType::Any));
        let deal = lookup("deal_stage_changed").unwrap();
        let named: Vec<_> = deal.named.iter().map(|p| p.field).collect();
        assert_eq!(named, ["to", "from"]);
        assert_eq!(deal.fields.len(), 4);
        assert!(lookup("contact_created").unwrap().field("email").is_none());
        assert!(lookup("email_replied").unwrap().fields.is_empty());
    }

    #[test]
    fn the_index_keys_on_the_fields_arguments_fix() {
        let names = |k: EventType| {
            let (a, b) = k.index_fields();
            let name = |i: Option<usize>| i.map(|i| k.spec().fields[i].name);
            (name(a), name(b))
        };
        assert_eq!(
            names(EventType::DealStageChanged),
            (Some("to"), Some("from"))
        );
        assert_eq!(
            names(EventType::PropertyChanged),
            (Some("property"), Some("value"))
        );
        assert_eq!(names(EventType::ContactCreated), (Some("source"), None));
        assert_eq!(names(EventType::EmailReplied), (None, None));
    }
}
