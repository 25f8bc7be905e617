//! The paragraph `wf explain CODE` prints for each diagnostic code: what it
//! means, why it matters for sequence enrollment, an example and the fix.
//! Every [`Code`] has one (the match is exhaustive).

use crate::diagnostic::Code;

/// The explanation of a code.
pub fn explain(code: Code) -> &'static str {
    match code {
        Code::E0001 => {
            "E0001: syntax error. The script does not follow the grammar of the language, so \
nothing in the file is checked or run. The message names what was expected at that place.

Example:
    when form_submitted(\"qualify\") enroll in \"Booking\" from owner
                                    ^ expected `if` or `then`

Fix: write the missing keyword or punctuation (`when TRIGGER [if CONDITION] then ACTION`)."
        }
        Code::E0101 => {
            "E0101: unknown sequence. An `enroll in \"S\"` or `unenroll from \"S\"` names a \
sequence the account does not have. A workflow that enrolls into a sequence that does not exist \
enrolls no one, and nobody notices until contacts go unanswered.

Example:
    when form_submitted(\"qualify\") then enroll in \"Bookng\" from owner

Fix: use the exact name of a sequence in the account file (names are case-sensitive); the help \
line suggests a close match."
        }
        Code::E0102 => {
            "E0102: sequence is deleted. The `enroll` names a sequence marked `\"deleted\": true` \
in the account. The CRM stops enrolling into a deleted sequence, so the action would skip every \
contact with `sequence_deleted`.

Example:
    when form_submitted(\"promo\") then enroll in \"Old promo\" from owner

Fix: enroll into a live sequence, or remove the rule. (`unenroll from` a deleted sequence is \
allowed: it simply finds no one.)"
        }
        Code::E0201 => {
            "E0201: unknown user. `from user \"E\"` names an email that is not one of the \
account's users. Only account users can send sequences, so every enrollment would skip with \
`sender_unknown`.

Example:
    then enroll in \"Onboarding\" from user \"csm@acme.tst\"

Fix: use the email of a user in the account file, or `from owner`."
        }
        Code::E0202 => {
            "E0202: the fixed sender has no Enterprise seat. Only users with a Sales Hub \
Enterprise or Service Hub Enterprise seat (`sales_enterprise`, `service_enterprise`) can be the \
sender of a sequence enrolled by a workflow; every enrollment from this user would skip with \
`sender_no_seat`.

Example:
    then enroll in \"Booking\" from user \"bob@acme.test\"   # bob has `sales_professional`

Fix: send from a user with an Enterprise seat, or give this user one."
        }
        Code::E0203 => {
            "E0203: the fixed sender has no connected inbox. A sequence is sent from a personal \
inbox; a user with no entry in `inboxes` cannot send one, so every enrollment would skip with \
`sender_no_inbox`.

Example:
    then enroll in \"Booking\" from user \"new@acme.test\"   # \"inboxes\": []

Fix: connect an inbox for the user (add it to `inboxes`), or send from another user."
        }
        Code::E0204 => {
            "E0204: the `via` address is not one of the sender's inboxes. `via \"ADDR\"` picks \
the send-from address, and a user can only send from their own connected inboxes; every \
enrollment would skip with `send_from_not_owned`.

Example:
    then enroll in \"Onboarding\" from user \"csm@acme.test\" via \"sales@acme.test\"

Fix: use one of the sender's `inboxes`, or drop `via` to send from their first inbox."
        }
        Code::E0205 => {
            "E0205: `via` used with `from owner`. `via` picks one of a fixed sender's inboxes; \
with `from owner` the sender differs from contact to contact, and no single address belongs to \
all of them.

Example:
    then enroll in \"Booking\" from owner via \"sales@acme.test\"

Fix: drop `via` (each owner sends from their first inbox), or name a fixed sender: \
`from user \"ana@acme.test\" via \"sales@acme.test\"`."
        }
        Code::E0301 => {
            "E0301: unknown trigger. The name after `when` is not one of the language's \
triggers, so the rule could never fire. The triggers are form_submitted, deal_stage_changed, \
meeting_outcome, meeting_booked, email_replied, email_bounced, unsubscribed, task_completed, \
property_changed, list_added, list_removed and contact_created.

Example:
    when form_submited(\"qualify\") then enroll in \"Booking\" from owner

Fix: correct the name; the help line suggests a close match."
        }
        Code::E0302 => {
            "E0302: wrong trigger arguments. A trigger was given an argument it does not take \
(an unknown name, a second positional argument, the same name twice, a positional argument \
after a named one), an argument of the wrong type, a meeting outcome outside its set, a \
`property_changed(…, to: V)` whose value does not have the property's type, or it lacks a \
required argument (`property_changed` needs a property name, `list_added` and `list_removed` a \
list name). Arguments filter events, so a wrong one silently matches nothing.

Example:
    when meeting_outcome(\"noshow\") then enroll in \"Reschedule\" from owner
    when deal_stage_changed(stage: \"closedwon\") then ...

Fix: follow the trigger's signature: `meeting_outcome(\"no_show\")`, `deal_stage_changed(to: \"closedwon\")`."
        }
        Code::E0303 => {
            "E0303: `event.X` is not available for the rule's triggers. A condition reads a \
field the triggering event does not have. When a rule has several triggers (`when a() or b()`), \
`event.X` may only use fields that every one of them has, since either event can fire the rule.

Example:
    when form_submitted(\"demo\") or meeting_booked()
      if event.form == \"demo\" then ...      # meeting_booked has no `form`

Fix: test a field all triggers share, split the rule in two, or test a contact property."
        }
        Code::E0401 => {
            "E0401: unknown contact property. `contact.X` (or `property_changed(\"X\")`) names a \
property that is neither built in (email, owner, firstname, lastname, company, jobtitle, \
country, lifecycle_stage) nor declared under `properties` in the account. The test could never \
be true.

Example:
    if contact.employes >= 10

Fix: correct the name, or declare the property in the account file."
        }
        Code::E0402 => {
            "E0402: type mismatch. A test uses values of types that do not fit: a number compared \
with a string (always false at run time), `contains` on a number or bool, `<`/`>` on bools \
(they have no order) or on enums (their values would be ordered as text, not in the enum's \
order), or an `in` list whose values have different types.

Example:
    if contact.employees >= \"10\"
    if contact.lifecycle_stage > \"lead\"

Fix: write literals of the operand's type (`contact.employees >= 10`); for enums list the values \
you mean (`contact.lifecycle_stage in [\"opportunity\", \"customer\"]`)."
        }
        Code::E0403 => {
            "E0403: value not in the property's enum. A string compared with an enum property \
(or a meeting outcome, or `property_changed(…, to: V)` of an enum property) is not one of its \
values, so the test can never be true.

Example:
    if contact.lifecycle_stage == \"SQL\"

Fix: use one of the enum's values (`\"salesqualifiedlead\"`); the help line lists them or \
suggests a close match."
        }
        Code::E0404 => {
            "E0404: unknown list. `contact in list \"L\"`, `suppress list \"L\"`, \
`list_added(\"L\")` or `list_removed(\"L\")` names a list the account does not have. A \
suppression list that does not exist suppresses no one, which is the dangerous case: contacts \
who asked not to be contacted would be enrolled.

Example:
    suppress list \"Do not contcat\"

Fix: use the exact name of a list in the account file."
        }
        Code::E0501 => {
            "E0501: two workflows with the same name. Workflow names identify blocks in traces; \
two blocks with one name (in one file or across the files of a run) cannot be told apart.

Example:
    workflow \"Hand-off\" { ... }
    workflow \"Hand-off\" { ... }

Fix: rename one of them, or merge their rules into one block."
        }
        Code::W0101 => {
            "W0101: enrolls into a sequence that has placeholder tokens. A \
`{{placeholder:TEXT}}` token is meant to be filled in by a person before each email goes out; a \
workflow enrolls contacts automatically, so nobody fills it and the email is sent with the \
placeholder text in it.

Example:
    when form_submitted(\"qualify\") then enroll in \"Cold outreach\" from owner
    # step 2: \"About {{placeholder:recent news}} ...\"

Fix: replace the placeholders in the sequence with plain text or `{{contact.NAME}}` tokens, or \
enroll into another sequence."
        }
        Code::W0102 => {
            "W0102: a sequence's personalization token names an unknown property. \
`{{contact.NAME}}` in a step's subject or body names a property that is not in the account's \
schema, so it is always empty and the email reads \"Hi ,\".

Example:
    \"subject\": \"Hi {{contact.first_name}}\"      # the property is `firstname`

Fix: correct the token in the sequence, or declare the property."
        }
        Code::W0201 => {
            "W0201: `from owner` while some contacts have no eligible owner. The sender is the \
contact's owner; contacts with no owner skip with `no_owner`, and contacts whose owner has no \
Enterprise seat or no connected inbox skip with `sender_no_seat` or `sender_no_inbox`. The \
warning counts the account's contacts in that state.

Example:
    then enroll in \"Booking\" from owner    # 3 of 40 contacts have no owner

Fix: assign owners who can send (an Enterprise seat and a connected inbox), or enroll from a \
fixed user."
        }
        Code::W0301 => {
            "W0301: enrolls freshly imported contacts. The rule enrolls on \
`contact_created(source: \"import\")`, or on `list_added` of a list whose source is `import`. \
Imported contacts have not asked to hear from you: sequences sent to them look like spam, hurt \
the inbox's reputation and draw unsubscribes and bounces.

Example:
    when list_added(\"March import\") then enroll in \"Booking\" from owner

Fix: enroll on something the contact does (a form, a meeting outcome), or use marketing email \
for imported lists."
        }
        Code::W0302 => {
            "W0302: enrolls on `list_added` of a list with 100 or more members. Sequences are \
one-to-one sales emails sent from a person's inbox with a daily send limit; enrolling a large \
list exhausts the limit, delays other enrollments and looks like bulk mail.

Example:
    when list_added(\"Newsletter\") then enroll in \"Booking\" from owner   # 2,400 members

Fix: use marketing email for large lists, or enroll on an individual action."
        }
        Code::W0303 => {
            "W0303: enrolls on non-personalized criteria. Every trigger of the rule is \
`property_changed`, `list_added`, `list_removed` or `contact_created`: changes in data, not \
things the contact did. A personal sequence works when it answers an action of the contact (a \
form submission, a meeting outcome, a closed deal).

Example:
    when property_changed(\"country\", to: \"Poland\") then enroll in \"Booking\" from owner

Fix: enroll on an action of the contact, and use the property in the `if` condition instead."
        }
        Code::W0401 => {
            "W0401: competing enrollments. Two rules enroll on the same trigger (same kind and \
arguments, in any files or blocks) into different sequences. A contact is in one sequence at a \
time, so for contacts matching both rules the later rule (in program order) is skipped with \
`already_enrolled`. The warning is reported at the later rule.

Example:
    when form_submitted(\"qualify\") then enroll in \"Booking\" from owner
    when form_submitted(\"qualify\") if contact.tier == \"gold\" then enroll in \"VIP\" from owner

Fix: merge the rules, order them so the more specific one comes first and exclude its contacts \
from the other (`if not …`), or make their triggers differ."
        }
    }
}
