//! `wf export`: the bundled examples and fixtures exported, each flow
//! checked against the shape the CRM needs, imported back, and every
//! construct with no flow form reported at its line and column.

use super::{fixture, out_dir, stderr, wf};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `.json` files written to `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Exports `files` with `account` into a fresh directory.
fn export(name: &str, account: &str, files: &[&str]) -> (std::process::Output, PathBuf) {
    let dir = out_dir(&format!("export-{name}"));
    let out = dir.display().to_string();
    let mut args = vec!["export", "--account", account, "-o", &out];
    args.extend(files);
    (wf(&args), dir)
}

/// Imports one flow file back and returns the script without its header.
fn import_back(name: &str, account: &str, flow: &Path) -> String {
    let dir = out_dir(&format!("export-back-{name}"));
    let out = dir.display().to_string();
    let o = wf(&[
        "import",
        "hubspot",
        "--account",
        account,
        "-o",
        &out,
        &flow.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("; 0 warnings;"), "{}", stderr(&o));
    let files = crate::wf_files(&dir);
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    assert!(header.starts_with("# Imported from the CRM"), "{header}");
    body.to_owned()
}

/// A flow has what the CRM needs to create it.
fn assert_shape(flow: &Value) {
    let problems = wf::crm::shape::problems(flow);
    assert!(problems.is_empty(), "{problems:#?}\n{flow:#}");
}

#[test]
fn bundled_examples_export_where_they_have_a_flow_form() {
    let account = fixture("export/account.json");
    let (o, dir) = export("qualify", &account, &["examples/qualify.wf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = json_files(&dir);
    assert_eq!(files.len(), 1, "the top-level rules make one flow");
    assert!(files[0].ends_with("qualify.json"));
    let flow = read_json(&files[0]);
    assert_shape(&flow);
    assert_eq!(flow["name"], "qualify");
    insta::assert_json_snapshot!("export_qualify", flow);
    let back = import_back("qualify", &account, &files[0]);
    let original = std::fs::read_to_string("examples/qualify.wf").unwrap();
    let rule = original.split_once('\n').unwrap().1;
    assert_eq!(
        back,
        format!("workflow \"qualify\" {{\n{}}}\n", indent(rule))
    );
    let mut refused = String::new();
    for script in ["handoff", "no_show", "unenroll"] {
        let path = format!("examples/{script}.wf");
        let (o, dir) = export(script, &account, &[&path]);
        assert_eq!(o.status.code(), Some(2), "{script}: {}", stderr(&o));
        assert!(json_files(&dir).is_empty(), "{script}: wrote a flow");
        refused.push_str(&stderr(&o));
    }
    insta::assert_snapshot!("export_examples_refused", refused);
}

/// Each line indented by two spaces, as inside a block.
fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

#[test]
fn the_example_flows_export_back_to_what_they_import_to() {
    let account = fixture("account.json");
    let dir = out_dir("export-example-flows-in");
    let out = dir.display().to_string();
    let o = wf(&[
        "import",
        "hubspot",
        &fixture("example-a.json"),
        &fixture("example-b.json"),
        "--account",
        &account,
        "-o",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for script in crate::wf_files(&dir) {
        let name = script.file_stem().unwrap().to_string_lossy().into_owned();
        let (o, flows) = export(&name, &account, &[&script.display().to_string()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let files = json_files(&flows);
        assert_eq!(files.len(), 1);
        let flow = read_json(&files[0]);
        assert_shape(&flow);
        insta::assert_json_snapshot!(format!("export_{name}"), flow);
        let text = std::fs::read_to_string(&script).unwrap();
        let body = text.split_once('\n').unwrap().1;
        assert_eq!(import_back(&name, &account, &files[0]), body);
    }
}

#[test]
fn every_exportable_kind_exports_and_imports_back() {
    let account = fixture("export/account.json");
    let script = fixture("export/every-kind.wf");
    let (o, dir) = export("every-kind", &account, &[&script]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = json_files(&dir);
    let flow = read_json(&files[0]);
    assert_shape(&flow);
    assert_eq!(flow["isEnabled"], false);
    assert_eq!(
        flow["enrollmentCriteria"]["eventFilterBranches"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    insta::assert_json_snapshot!("export_every_kind", flow);
    let back = import_back("every-kind", &account, &files[0]);
    assert_eq!(back, std::fs::read_to_string(&script).unwrap());
}

#[test]
fn constructs_with_no_flow_form_are_located_and_nothing_is_written() {
    let account = fixture("export/account.json");
    let (o, dir) = export(
        "no-flow-form",
        &account,
        &[
            &fixture("export/every-kind.wf"),
            &fixture("export/no-flow-form.wf"),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(json_files(&dir).is_empty(), "a bad script stops the export");
    let err = stderr(&o);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        12,
        "{err}"
    );
    insta::assert_snapshot!("export_no_flow_form", err);
    let (o, _) = export("syntax", &account, &[&fixture("bad/not-flow.json")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("E0001"), "{}", stderr(&o));
}

/// A change that breaks a flow.
type Breakage = fn(&mut Value);

#[test]
fn the_shape_check_finds_what_the_crm_would_refuse() {
    let account = fixture("export/account.json");
    let (o, dir) = export("shape", &account, &[&fixture("export/every-kind.wf")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let good = read_json(&json_files(&dir)[0]);
    assert_shape(&good);
    let cases: [(&str, Breakage); 7] = [
        ("`type`", |f| f["type"] = "PLATFORM_FLOW".into()),
        ("`isEnabled`", |f| f["isEnabled"] = true.into()),
        ("`startActionId`: names no action", |f| {
            f["startActionId"] = "9".into()
        }),
        ("names no action", |f| {
            f["actions"][0]["connection"]["nextActionId"] = "9".into();
        }),
        ("the chain loops", |f| {
            let last = f["actions"].as_array().unwrap().len() - 1;
            f["actions"][last]["connection"] =
                serde_json::json!({"edgeType": "STANDARD", "nextActionId": "1"});
        }),
        ("not reached from the start action", |f| {
            f["actions"][0]
                .as_object_mut()
                .unwrap()
                .remove("connection");
        }),
        ("an enrollment needs `sequenceId`", |f| {
            f["actions"][1]["fields"]
                .as_object_mut()
                .unwrap()
                .remove("sequenceId");
        }),
    ];
    for (expected, break_it) in cases {
        let mut flow = good.clone();
        break_it(&mut flow);
        let problems = wf::crm::shape::problems(&flow).join("\n");
        assert!(problems.contains(expected), "{expected}: {problems}");
    }
}
