//! Finding and reading project files.

use super::*;

#[test]
fn normalize_cancels_names_before_parent_folders() {
    assert_eq!(normalize(Path::new("tests/../a.wf")), PathBuf::from("a.wf"));
    assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
    assert_eq!(normalize(Path::new("../../a")), PathBuf::from("../../a"));
}

#[test]
fn find_from_goes_up_and_stays_relative() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("p/tests/deep")).unwrap();
    std::fs::write(tmp.path().join("p/wf.toml"), "").unwrap();
    let start = tmp.path().join("p/tests/deep");
    assert_eq!(find_from(&start), Some(tmp.path().join("p")));
}

#[test]
fn globs_match_within_and_across_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for f in ["a.wf", "w/b.wf", "w/x/c.wf", "w/x/d.txt"] {
        std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
        std::fs::write(root.join(f), "").unwrap();
    }
    let files = |p: &str| glob::Glob::new(p).unwrap().files(root);
    assert_eq!(files("w/*.wf"), [root.join("w/b.wf")]);
    assert_eq!(
        files("w/**/*.wf"),
        [root.join("w/b.wf"), root.join("w/x/c.wf")]
    );
    assert_eq!(files("*.wf"), [root.join("a.wf")]);
    assert!(glob::Glob::new("w/[*.wf").is_err());
    assert!(glob::Glob::new("/abs/*.wf").is_err());
}

#[test]
fn events_key_names_an_existing_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("wf.toml"), "events = \"e.jsonl\"\n").unwrap();
    let missing = load(root).unwrap_err().to_string();
    assert!(missing.contains("wf.toml:1:10"), "{missing}");
    assert!(missing.contains("events file"), "{missing}");
    std::fs::write(root.join("e.jsonl"), "").unwrap();
    assert_eq!(load(root).unwrap().events, Some(root.join("e.jsonl")));
}
