//! The VS Code extension in `editors/vscode` against the language: its
//! manifest names files that exist, its JSON parses, and its TextMate
//! grammar highlights exactly the keywords of `grammar/wf.pest` and the
//! triggers of the language. A keyword or trigger added to the language
//! without the grammar fails here.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn extension() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode")
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The keywords of the language: the words of the pest grammar's `kw_*`
/// rules (`kw_when = @{ "when" ~ !ident_char }`).
fn pest_keywords() -> BTreeSet<String> {
    let grammar =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/wf.pest"))
            .unwrap();
    grammar
        .lines()
        .filter(|l| l.trim_start().starts_with("kw_"))
        .map(|l| l.split('"').nth(1).unwrap().to_owned())
        .collect()
}

/// The words of every `\b(?:a|b)\b` alternation in a grammar pattern and
/// the patterns it includes.
fn words(pattern: &Value, out: &mut BTreeSet<String>) {
    if let Some(m) = pattern["match"].as_str() {
        for group in m.split("(?:").skip(1) {
            let group = group.split(')').next().unwrap();
            out.extend(group.split('|').map(str::to_owned));
        }
    }
    for p in pattern["patterns"].as_array().into_iter().flatten() {
        words(p, out);
    }
}

#[test]
fn the_manifest_points_at_files_that_exist() {
    let dir = extension();
    let manifest = json(&dir.join("package.json"));
    assert!(dir.join(manifest["main"].as_str().unwrap()).is_file());
    let languages = manifest["contributes"]["languages"].as_array().unwrap();
    let wf = languages.iter().find(|l| l["id"] == "wf").unwrap();
    assert_eq!(wf["extensions"], serde_json::json!([".wf"]));
    let configuration = dir.join(wf["configuration"].as_str().unwrap());
    let configuration = json(&configuration);
    assert_eq!(configuration["comments"]["lineComment"], "#");
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "wf");
    let tm = json(&dir.join(grammar["path"].as_str().unwrap()));
    assert_eq!(tm["scopeName"], grammar["scopeName"]);
    let setting = &manifest["contributes"]["configuration"]["properties"]["wf.path"];
    assert_eq!(setting["default"], "wf");
    assert!(
        manifest["activationEvents"]
            .as_array()
            .unwrap()
            .contains(&Value::from("onLanguage:wf"))
    );
    assert!(
        manifest["dependencies"]["vscode-languageclient"].is_string(),
        "the client is vscode-languageclient"
    );
    let client = std::fs::read_to_string(dir.join("extension.js")).unwrap();
    assert!(
        client.contains(r#"args: ["lsp"]"#),
        "the client runs `wf lsp`"
    );
    assert!(client.contains(r#"getConfiguration("wf").get("path")"#));
}

#[test]
fn every_include_of_the_textmate_grammar_resolves() {
    let tm = json(&extension().join("syntaxes/wf.tmLanguage.json"));
    let repository = tm["repository"].as_object().unwrap();
    let includes: Vec<&str> = tm["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["include"].as_str().unwrap())
        .collect();
    for include in &includes {
        let name = include.strip_prefix('#').unwrap();
        assert!(repository.contains_key(name), "`{include}` is not defined");
    }
    // Every rule of the repository is used.
    for name in repository.keys() {
        assert!(
            includes.contains(&format!("#{name}").as_str()),
            "`{name}` unused"
        );
    }
}

#[test]
fn the_textmate_grammar_knows_exactly_the_keywords_of_the_language() {
    let tm = json(&extension().join("syntaxes/wf.tmLanguage.json"));
    let mut highlighted = BTreeSet::new();
    words(&tm["repository"]["keywords"], &mut highlighted);
    words(&tm["repository"]["booleans"], &mut highlighted);
    let keywords = pest_keywords();
    assert_eq!(highlighted, keywords);
    // The lexer (REPL highlighting, completion) agrees too.
    let lexer: BTreeSet<String> = wf::syntax::lexer::KEYWORDS
        .iter()
        .map(|k| (*k).to_owned())
        .collect();
    assert_eq!(lexer, keywords);
}

#[test]
fn the_textmate_grammar_knows_exactly_the_triggers_of_the_language() {
    let tm = json(&extension().join("syntaxes/wf.tmLanguage.json"));
    let mut highlighted = BTreeSet::new();
    words(&tm["repository"]["trigger"], &mut highlighted);
    let triggers: BTreeSet<String> = wf::triggers::TRIGGERS
        .iter()
        .map(|t| t.name.to_owned())
        .collect();
    assert_eq!(highlighted, triggers);
}
