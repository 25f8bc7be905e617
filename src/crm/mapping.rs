//! The names the CRM's flow format gives to the things a script can say:
//! event type ids, action type ids, and the CRM's internal names of the
//! built-in contact properties. Import and export both read them here, so
//! the two directions cannot drift apart (`docs/crm.md`, "The mapping").

/// `eventTypeId` of a form submission.
pub const EVENT_FORM: &str = "4-1639801";
/// `eventTypeId` of a property value change.
pub const EVENT_PROPERTY: &str = "4-655002";
/// `eventTypeId` of a meeting booked through a meetings link.
pub const EVENT_MEETING: &str = "4-1720599";
/// `eventTypeId` of a record created (a contact, in a contact flow).
pub const EVENT_CREATED: &str = "4-1463224";
/// `eventTypeId` of a reply to an email.
pub const EVENT_REPLY: &str = "4-665538";

/// The event triggers without arguments: `eventTypeId` and trigger name.
pub const PLAIN_EVENTS: &[(&str, &str)] = &[
    (EVENT_MEETING, "meeting_booked"),
    (EVENT_CREATED, "contact_created"),
    (EVENT_REPLY, "email_replied"),
];

/// Events a flow can start on that no trigger matches, for warnings.
pub const OTHER_EVENTS: &[(&str, &str)] = &[
    ("4-666440", "email opened"),
    ("4-666288", "email clicked"),
    ("4-96000", "page visited"),
    ("4-675777", "sequence enrolled"),
    ("4-675778", "sequence finished"),
    ("4-675776", "sequence unenrolled"),
];

/// `actionTypeId` of "enroll in a sequence".
pub const ACTION_ENROLL: &str = "0-46510720";
/// `actionTypeId` of "unenroll from sequence".
pub const ACTION_UNENROLL: &str = "0-4702372";
/// `actionTypeId` of a delay for a set time.
pub const ACTION_DELAY: &str = "0-1";

/// Other action types, named in warnings.
pub const OTHER_ACTIONS: &[(&str, &str)] = &[
    ("0-3", "create task"),
    ("0-4", "send marketing email"),
    ("0-5", "set property"),
    ("0-8", "internal email"),
    ("0-9", "in-app notification"),
    ("0-11", "rotate owner"),
    ("0-13", "list add or remove (legacy)"),
    ("0-14", "create record"),
    ("0-15", "go to workflow"),
    ("0-29", "wait for event"),
    ("0-31", "marketing contact status"),
    ("0-35", "delay until date"),
    ("0-63809083", "add to static list"),
    ("0-63863438", "remove from static list"),
    ("0-18224765", "delete contact"),
];

/// The CRM's property holding the contact owner's id.
pub const OWNER_PROPERTY: &str = "hubspot_owner_id";

/// Built-in contact properties whose CRM name differs from the script's.
const RENAMED: &[(&str, &str)] = &[
    ("lifecyclestage", "lifecycle_stage"),
    (OWNER_PROPERTY, "owner"),
];

/// The script's name of a CRM property.
pub fn property_from_crm(name: &str) -> &str {
    RENAMED
        .iter()
        .find(|(crm, _)| *crm == name)
        .map_or(name, |(_, wf)| wf)
}

/// A readable name for an action type id.
pub fn action_name(type_id: &str) -> String {
    match OTHER_ACTIONS.iter().find(|(id, _)| *id == type_id) {
        Some((_, name)) => format!("`{name}` ({type_id})"),
        None if type_id.starts_with("1-") => format!("integration action {type_id}"),
        None => format!("action type {type_id}"),
    }
}

/// A readable name for an event type id.
pub fn event_name(type_id: &str) -> String {
    match OTHER_EVENTS.iter().find(|(id, _)| *id == type_id) {
        Some((_, name)) => format!("`{name}` ({type_id})"),
        None => format!("event type {type_id}"),
    }
}

/// The CRM's name of a script property (the inverse of
/// [`property_from_crm`]).
pub fn property_to_crm(name: &str) -> &str {
    RENAMED
        .iter()
        .find(|(_, wf)| *wf == name)
        .map_or(name, |(crm, _)| crm)
}
