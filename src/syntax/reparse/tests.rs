use super::*;
use crate::syntax::parse;
use proptest::prelude::*;

/// Enough items, of every kind, for edits to land in all sorts of places.
fn script() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut text = String::new();
    for name in ["qualify.wf", "handoff.wf", "no_show.wf", "unenroll.wf"] {
        text.push_str(&std::fs::read_to_string(dir.join(name)).unwrap_or_default());
    }
    text.repeat(3)
}

/// What an editor might type or delete.
const PIECES: &[&str] = &[
    "",
    "\n",
    "when ",
    "when form_submitted(\"x\") then unenroll\n",
    "workflow \"w\" {\n",
    "}",
    "{",
    "\"",
    " or meeting_booked()",
    ", unenroll",
    "if contact.tier == \"gold\" ",
    "# note\n",
    "(",
    "x",
];

/// The edit at `at` of the text's length, removing `len` bytes (both cut
/// back to character boundaries), inserting `piece`.
fn edit_of(text: &str, at: usize, len: usize, piece: &str) -> (String, Edit) {
    let mut start = at % (text.len() + 1);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut new = text.to_owned();
    new.replace_range(start..end, piece);
    (
        new,
        Edit {
            old: start..end,
            new_len: piece.len(),
        },
    )
}

fn debug(result: &Result<Program, Diagnostic>) -> String {
    format!("{result:?}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Parsing again after one edit gives what parsing the new text gives,
    /// spans and errors included.
    #[test]
    fn reparse_equals_parse(at in 0usize..4000, len in 0usize..40, piece in 0..PIECES.len()) {
        let old = script();
        let previous = parse(FileId::default(), &old).unwrap();
        let (new, edit) = edit_of(&old, at, len, PIECES[piece]);
        let again = reparse(FileId::default(), &new, previous, &edit);
        prop_assert_eq!(debug(&again), debug(&parse(FileId::default(), &new)));
    }

    /// Two edits in a row are covered by their combined edit, and parsing
    /// again with it gives what parsing the final text gives.
    #[test]
    fn combined_edits_cover_both(
        a in 0usize..4000, alen in 0usize..30, apiece in 0..PIECES.len(),
        b in 0usize..4000, blen in 0usize..30, bpiece in 0..PIECES.len(),
    ) {
        let old = script();
        let (middle, first) = edit_of(&old, a, alen, PIECES[apiece]);
        let (new, second) = edit_of(&middle, b, blen, PIECES[bpiece]);
        let both = first.then(&second);
        let kept_after = old.len() - both.old.end;
        prop_assert_eq!(&new[..both.old.start], &old[..both.old.start]);
        prop_assert_eq!(both.old.start + both.new_len + kept_after, new.len());
        prop_assert_eq!(&new[new.len() - kept_after..], &old[both.old.end..]);
        let previous = parse(FileId::default(), &old).unwrap();
        let again = reparse(FileId::default(), &new, previous, &both);
        prop_assert_eq!(debug(&again), debug(&parse(FileId::default(), &new)));
    }
}

#[test]
fn an_edit_inside_one_rule_keeps_the_others_and_moves_those_after() {
    let old = "when a() then unenroll\nwhen b() then unenroll\nwhen c() then unenroll\n";
    let previous = parse(FileId::default(), old).unwrap();
    let new = old.replacen("b()", "bee()", 1);
    let edit = Edit {
        old: 28..29,
        new_len: 3,
    };
    let again = reparse(FileId::default(), &new, previous, &edit).unwrap();
    assert_eq!(
        format!("{again:?}"),
        format!("{:?}", parse(FileId::default(), &new).unwrap())
    );
    assert_eq!(again.items.len(), 3);
}
