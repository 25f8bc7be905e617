//! Integration tests: the account loader's messages and reading.
//!
//! - `tests/fixtures/account/messages/*`: one rejected account per kind of
//!   message, loaded from the file (so byte order marks, invalid UTF-8 and
//!   the size limit go through the same reading as `--account`), and
//!   snapshotted with the text they point into. Every message has a line and
//!   column, no Rust type names, no serde words, and user text escaped.
//! - reading: a byte order mark, the size limit, an endless device.

use std::path::{Path, PathBuf};
use wf::account;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/account")
}

/// Words a message in the account's terms never uses: Rust type names and
/// serde's names for JSON values.
const NOT_ACCOUNT_WORDS: &[&str] = &[
    "struct",
    "variant",
    "Raw",
    "sequence,",
    "a sequence",
    "map",
    "u32",
    "integer",
    "floating point",
    "invalid type",
    "invalid value",
];

#[test]
fn account_messages() {
    insta::glob!("../fixtures/account/messages", "*.{json,toml}", |path| {
        let bytes = std::fs::read(path).unwrap();
        let shown = String::from_utf8_lossy(&bytes);
        let e = match account::load(path) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e,
        };
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            matches!(e.location, Some(wf::diagnostic::Location::LineColumn(..))),
            "{name}: no line and column: {e}"
        );
        for word in NOT_ACCOUNT_WORDS {
            assert!(!e.message.contains(word), "{name}: `{word}` in {e}");
        }
        assert!(
            !e.message.contains(['\0', '\u{feff}']),
            "{name}: raw NUL or BOM in {e}"
        );
        let message = e.to_string().replace(&*path.display().to_string(), &name);
        insta::assert_snapshot!(format!("{shown}\n---\n{message}"));
    });
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("account");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_json_or_toml_account_with_a_byte_order_mark_loads() {
    let text = std::fs::read(fixtures().join("valid/account.toml")).unwrap();
    let with_mark = [b"\xef\xbb\xbf".as_slice(), &text].concat();
    let a = account::load(&temp("bom.toml", &with_mark)).unwrap();
    assert_eq!(a.timezone, chrono_tz::Europe::Warsaw);
    let a = account::load(&temp(
        "bom.json",
        b"\xef\xbb\xbf{\"users\": [{\"email\": \"ana@acme.test\"}]}",
    ))
    .unwrap();
    assert_eq!(a.users[0].email, "ana@acme.test");
    // Columns count after the mark.
    let e = account::load(&temp("bom_bad.json", b"\xef\xbb\xbf{\"users\": 3}")).unwrap_err();
    assert_eq!(
        e.to_string().rsplit_once("bom_bad.json").unwrap().1,
        ":1:11: expected a list, found the number `3`"
    );
}

#[test]
fn an_endless_account_stops_at_the_limit() {
    let start = std::time::Instant::now();
    let e = account::load(Path::new("/dev/zero")).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "/dev/zero: account is too large (more than {} bytes, the limit)",
            account::MAX_ACCOUNT_BYTES
        )
    );
    // Read once up to the limit, not for ever (a generous bound for a
    // loaded debug build).
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn the_account_limit_leaves_room_for_a_million_contacts() {
    // A contact as an export writes one, about 113 bytes.
    let contact = r#"{"id": "c-1000000", "email": "c1000000@client.test", "owner": "ana@acme.test", "properties": {"firstname": "Jan"}},"#;
    assert!(contact.len() * 1_000_000 * 4 < account::MAX_ACCOUNT_BYTES);
}
