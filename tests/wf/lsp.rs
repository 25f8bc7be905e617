//! `wf lsp` over stdio with real JSON-RPC messages, and with a real client
//! (headless Neovim).

#[allow(dead_code)] // shared with the `lsp` bench, which uses other parts
mod client;

use client::Client;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A server started in `dir`, initialized with `dir` as its root.
fn start(dir: &Path) -> Client {
    let mut s = Client::start(env!("CARGO_BIN_EXE_wf"), dir, Stdio::null());
    s.initialize(&uri(dir));
    s
}

/// `shutdown` and `exit`: a clean exit.
fn finish(s: Client) {
    assert_eq!(s.finish(), Some(0), "clean exit after shutdown");
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// A project folder with a copy of the examples' account.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        examples().join("account.json"),
        dir.path().join("account.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("wf.toml"), "account = \"account.json\"\n").unwrap();
    dir
}

fn open(s: &mut Client, file: &str, text: &str) {
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": file, "languageId": "wf", "version": 1, "text": text}}),
    );
}

/// A server on a fresh project with `name` open holding `text`: the
/// project (kept while the test runs), the client and the file's URI.
fn opened(name: &str, text: &str) -> (tempfile::TempDir, Client, String) {
    let dir = project();
    let mut s = start(dir.path());
    let file = format!("{}/{name}", uri(dir.path()));
    open(&mut s, &file, text);
    (dir, s, file)
}

/// A change of the whole text.
fn change(s: &mut Client, file: &str, version: i64, text: &str) {
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": version},
               "contentChanges": [{"text": text}]}),
    );
}

fn pos(file: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": file}, "position": {"line": line, "character": character}})
}

fn labels(r: &Value) -> Vec<String> {
    r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

fn hover_text(r: &Value) -> String {
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_session_from_initialize_to_exit() {
    let dir = project();
    let mut s = Client::start(env!("CARGO_BIN_EXE_wf"), dir.path(), Stdio::null());
    let init = s.initialize(&uri(dir.path()));
    assert_eq!(init["result"]["capabilities"]["hoverProvider"], json!(true));
    let file = format!("{}/a.wf", uri(dir.path()));

    // Non-ASCII text before the error: the range counts UTF-16 units.
    let text = "# ząb 🦀\nwhen form_submitted(\"żółw 🦀\") then enroll in \"Bookng\" from owner\n";
    open(&mut s, &file, text);
    let diags = s.diagnostics();
    let e0101 = diags.iter().find(|d| d["code"] == "E0101").expect("E0101");
    assert_eq!(e0101["range"]["start"], json!({"line": 1, "character": 46}));
    assert_eq!(e0101["range"]["end"], json!({"line": 1, "character": 54}));
    assert!(
        e0101["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `Booking`?")
    );

    // Quick fix for the suggestion.
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file}, "range": e0101["range"],
               "context": {"diagnostics": [e0101]}}),
    );
    let edit = &r["result"][0]["edit"]["changes"][&file][0];
    assert_eq!(edit["newText"], "\"Booking\"");

    // A change on the line with emoji: fixed, the error is gone.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": 2},
               "contentChanges": [{"range": e0101["range"], "text": "\"Booking\""}]}),
    );
    let diags = s.diagnostics();
    assert!(diags.iter().all(|d| d["code"] != "E0101"), "{diags:?}");

    // A syntax error is E0001 at the offending token.
    change(
        &mut s,
        &file,
        3,
        "when form_submitted(\"q\") thn unenroll\n",
    );
    let diags = s.diagnostics();
    assert_eq!(diags[0]["code"], "E0001");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 0, "character": 25})
    );

    // Completion: sequence names after `enroll in`, properties after `contact.`.
    let text =
        "when form_submitted(\"q\") then enroll in \nwhen form_submitted(\"x\") if contact.\n";
    change(&mut s, &file, 4, text);
    let found = labels(&s.request("textDocument/completion", pos(&file, 0, 40)));
    assert!(found.contains(&"\"Booking\"".to_owned()), "{found:?}");
    let found = labels(&s.request("textDocument/completion", pos(&file, 1, 36)));
    assert!(found.contains(&"lifecycle_stage".to_owned()), "{found:?}");

    // Hover and definition on a sequence name.
    let text =
        "when form_submitted(\"q\") then enroll in \"Booking\" from user \"bob@acme.test\"\n";
    change(&mut s, &file, 5, text);
    let hover = hover_text(&s.request("textDocument/hover", pos(&file, 0, 43)));
    assert!(hover.contains("**sequence** `Booking`"), "{hover}");
    let hover = hover_text(&s.request("textDocument/hover", pos(&file, 0, 63)));
    assert!(hover.contains("not an eligible sender"), "{hover}");
    let r = s.request("textDocument/definition", pos(&file, 0, 43));
    assert!(
        r["result"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/account.json"),
        "{r}"
    );
    let account = std::fs::read_to_string(dir.path().join("account.json")).unwrap();
    let line = r["result"]["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(account.lines().nth(line).unwrap().contains("\"Booking\""));

    // Formatting gives the canonical layout.
    change(
        &mut s,
        &file,
        6,
        "when   form_submitted(\"q\")   then unenroll",
    );
    let r = s.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": file}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        r["result"][0]["newText"],
        "when form_submitted(\"q\") then unenroll\n"
    );

    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": file}}),
    );
    assert_eq!(r["result"][0]["name"], "when form_submitted");
    finish(s);
}

#[test]
fn malformed_messages_and_unknown_methods_are_errors_not_crashes() {
    let dir = project();
    let mut s = start(dir.path());
    let r = s.request("wf/unknown", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = s.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(r["error"]["code"], -32602);
    let r = s.request("textDocument/hover", pos("file:///not/open.wf", 0, 0));
    assert!(r["error"]["message"].as_str().unwrap().contains("not open"));
    // Notifications with bad parameters are ignored.
    s.notify("textDocument/didOpen", json!({"textDocument": 7}));
    s.notify("textDocument/didChange", json!(null));
    // Positions far past the end are clamped.
    let file = format!("{}/b.wf", uri(dir.path()));
    open(&mut s, &file, "when meeting_booked() then unenroll\n");
    s.diagnostics();
    let r = s.request("textDocument/completion", pos(&file, 4000, 4_000_000));
    assert!(r["result"].is_array(), "{r}");
    finish(s);
}

#[test]
fn a_message_that_is_not_json_ends_the_session_without_a_panic() {
    let dir = project();
    let mut s = start(dir.path());
    s.raw("{this is not json");
    let status = s.child.wait().unwrap();
    // The transport refuses the stream: the server stops with an error
    // exit code and a message, never a panic (exit code 101).
    assert_eq!(status.code(), Some(1));
}

/// The protocol's exit codes: `exit` after `shutdown` is 0, without it 1,
/// and the end of input counts as `exit`. After `shutdown` requests are
/// refused, but a repeated `shutdown` is answered like the first.
#[test]
fn exit_codes_follow_the_protocol() {
    let dir = project();
    let mut s = start(dir.path());
    let r = s.request("shutdown", Value::Null);
    assert_eq!(r.get("result"), Some(&Value::Null), "{r}");
    let r = s.request("textDocument/hover", pos("file:///a.wf", 0, 0));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // `finish` sends `shutdown` again, then `exit`.
    finish(s);

    let mut s = start(dir.path());
    s.notify("exit", Value::Null);
    assert_eq!(
        s.child.wait().unwrap().code(),
        Some(1),
        "exit without shutdown"
    );

    let mut s = Client::start(env!("CARGO_BIN_EXE_wf"), dir.path(), Stdio::null());
    s.notify("exit", Value::Null);
    assert_eq!(
        s.child.wait().unwrap().code(),
        Some(1),
        "exit before initialize"
    );

    let s = start(dir.path());
    assert_eq!(s.hang_up(), Some(1), "input closed without shutdown");

    let mut s = start(dir.path());
    s.request("shutdown", Value::Null);
    assert_eq!(s.hang_up(), Some(0), "input closed after shutdown");
}

#[test]
fn without_a_project_account_features_are_off_and_the_server_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path());
    let m = s.wait(|m| m["method"] == "window/showMessage");
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no wf.toml")
    );
    let file = format!("{}/c.wf", uri(dir.path()));
    open(
        &mut s,
        &file,
        "when form_submitted(\"q\") then enroll in \"Nope\" from owner\n",
    );
    assert_eq!(s.diagnostics(), Vec::<Value>::new());
    let found = labels(&s.request("textDocument/completion", pos(&file, 0, 2)));
    assert!(found.contains(&"when".to_owned()), "{found:?}");
    open(&mut s, &file, "when form_sub");
    let r = s.request("textDocument/completion", pos(&file, 0, 13));
    let item = &r["result"][0];
    assert_eq!(item["label"], "form_submitted");
    assert_eq!(item["insertTextFormat"], 2);
    finish(s);
}

#[test]
fn a_changed_account_file_is_reloaded() {
    let (dir, mut s, _file) = opened(
        "d.wf",
        "when form_submitted(\"q\") then enroll in \"Fresh\" from owner\n",
    );
    assert!(s.diagnostics().iter().any(|d| d["code"] == "E0101"));
    let path = dir.path().join("account.json");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "\"sequences\": [",
        "\"sequences\": [{\"name\": \"Fresh\", \"steps\": [{\"type\": \"task\", \"title\": \"x\"}]},",
        1,
    );
    std::fs::write(&path, text).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&path), "type": 2}]}),
    );
    assert!(s.diagnostics().iter().all(|d| d["code"] != "E0101"));
    finish(s);
}

/// Whether `nvim` runs here; prints a notice when it does not.
fn has_nvim() -> bool {
    let found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        println!("notice: nvim is not installed; the real-client test is skipped");
    }
    found
}

/// Headless Neovim (0.7's `vim.lsp.start_client`) attaches `wf lsp` to a
/// `.wf` file of a project, shows its diagnostics and completes a
/// sequence name; the server exits cleanly when Neovim quits.
#[test]
fn neovim_shows_diagnostics_and_completes_a_sequence_name() {
    if !has_nvim() {
        return;
    }
    let dir = project();
    let script = dir.path().join("a.wf");
    std::fs::write(
        &script,
        "when form_submitted(\"q\") then enroll in \"Bookng\" from owner\nwhen form_submitted(\"r\") then enroll in \"Boo\n",
    )
    .unwrap();
    let out = dir.path().join("out.txt");
    let code = dir.path().join("exit-code.txt");
    let lua = format!(
        r#"
local out = io.open({out:?}, "w")
local client = vim.lsp.start_client({{
  cmd = {{ "sh", "-c", "\"$0\" lsp; echo $? > \"$1\"", {wf:?}, {code:?} }},
  root_dir = {root:?},
}})
vim.cmd("edit " .. {file:?})
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = "wf"
vim.lsp.buf_attach_client(buf, client)
vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  out:write("diagnostic " .. d.lnum .. ":" .. d.col .. " " .. tostring(d.code) .. "\n")
end
local params = {{ textDocument = {{ uri = vim.uri_from_bufnr(buf) }}, position = {{ line = 1, character = 44 }} }}
local results = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 10000) or {{}}
for _, r in pairs(results) do
  for _, item in ipairs(r.result or {{}}) do
    out:write("completion " .. item.label .. "\n")
  end
end
out:close()
vim.lsp.stop_client(client)
vim.cmd("qall!")
"#,
        out = out.display().to_string(),
        wf = env!("CARGO_BIN_EXE_wf"),
        code = code.display().to_string(),
        root = dir.path().display().to_string(),
        file = script.display().to_string(),
    );
    let lua_file = dir.path().join("test.lua");
    std::fs::write(&lua_file, lua).unwrap();
    let status = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", lua_file.display()))
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let report = std::fs::read_to_string(&out).unwrap();
    // The open string on line 2 is a syntax error, reported at its quote.
    assert!(report.contains("diagnostic 1:40 E0001"), "{report}");
    assert!(report.contains("completion \"Booking\""), "{report}");
    // Neovim 0.7 sends `shutdown` for `stop_client` and again as it quits,
    // then `exit`: a clean exit. The wrapper writes the code once the
    // server has ended, which may be just after Neovim.
    let mut written = String::new();
    for _ in 0..200 {
        written = std::fs::read_to_string(&code).unwrap_or_default();
        if written.ends_with('\n') {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(written, "0\n", "the server's exit code");
}

#[test]
fn codes_link_to_their_explanation_and_hover_explains_them() {
    let (_dir, mut s, file) = opened(
        "e.wf",
        "# W0201 is about owners\nwhen form_submitted(\"q\") then enroll in \"Bookng\" from owner\n",
    );
    let diags = s.diagnostics();
    let e0101 = diags.iter().find(|d| d["code"] == "E0101").unwrap();
    let href = e0101["codeDescription"]["href"].as_str().unwrap();
    assert!(
        href.ends_with("/docs/diagnostics.md#e0101--unknown-sequence-error"),
        "{href}"
    );
    let page = href
        .strip_prefix("file://")
        .unwrap()
        .split('#')
        .next()
        .unwrap();
    assert!(Path::new(page).is_file(), "{page}");

    // Over the unknown name: the code's explanation, as `wf explain` gives it.
    let r = s.request("textDocument/hover", pos(&file, 1, 44));
    let text = hover_text(&r);
    assert!(text.starts_with("**E0101** (unknown sequence)"), "{text}");
    let explain = Command::new(env!("CARGO_BIN_EXE_wf"))
        .args(["explain", "E0101"])
        .output()
        .unwrap();
    let explain = String::from_utf8(explain.stdout).unwrap();
    assert!(text.contains(explain.trim()), "{text}");
    // A code written in the text.
    let r = s.request("textDocument/hover", pos(&file, 0, 4));
    assert!(hover_text(&r).starts_with("**W0201**"), "{r}");
    // Nothing to say: a null result.
    let r = s.request("textDocument/hover", pos(&file, 0, 20));
    assert_eq!(r["result"], Value::Null);
    finish(s);
}

#[test]
fn completion_and_hover_draw_on_the_whole_account() {
    let text = "when form_submitted(\"q\") if contact.tier == \n\
                when form_submitted(\"q\") then enroll in \"Booking\" from user \n\
                when list_added(\"March import\") if contact in list \n";
    let (dir, mut s, file) = opened("f.wf", text);
    s.diagnostics();
    let mut tiers = labels(&s.request("textDocument/completion", pos(&file, 0, 44)));
    tiers.retain(|l| l.starts_with('"'));
    assert_eq!(tiers, ["\"gold\"", "\"silver\"", "\"bronze\""], "{tiers:?}");
    let users = labels(&s.request("textDocument/completion", pos(&file, 1, 60)));
    assert!(users.contains(&"\"ana@acme.test\"".to_owned()), "{users:?}");
    let lists = labels(&s.request("textDocument/completion", pos(&file, 2, 51)));
    assert!(
        lists.contains(&"\"Do not contact\"".to_owned()),
        "{lists:?}"
    );
    // Hover: a trigger, a property, a list.
    let r = s.request("textDocument/hover", pos(&file, 0, 8));
    assert!(
        hover_text(&r).starts_with("**trigger** `form_submitted("),
        "{r}"
    );
    let r = s.request("textDocument/hover", pos(&file, 0, 40));
    assert_eq!(
        hover_text(&r),
        "**property** `tier`: enum of `gold`, `silver`, `bronze`"
    );
    let r = s.request("textDocument/hover", pos(&file, 2, 20));
    assert!(hover_text(&r).starts_with("**list** `March import`"), "{r}");
    // Definition of a property: its key in the account file.
    let r = s.request("textDocument/definition", pos(&file, 0, 40));
    let account = std::fs::read_to_string(dir.path().join("account.json")).unwrap();
    let line = r["result"]["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(
        account.lines().nth(line).unwrap().contains("\"tier\""),
        "{r}"
    );
    finish(s);
}

#[test]
fn the_account_file_is_reloaded_without_a_notification_even_after_it_was_invalid() {
    let script = "when form_submitted(\"q\") then enroll in \"Fresh\" from owner\n";
    let (dir, mut s, file) = opened("g.wf", script);
    assert!(s.diagnostics().iter().any(|d| d["code"] == "E0101"));
    let path = dir.path().join("account.json");
    let good = std::fs::read_to_string(&path).unwrap();

    // Broken: account features go off, and the server says why.
    std::fs::write(&path, "{").unwrap();
    change(&mut s, &file, 2, script);
    let m = s.wait(|m| m["method"] == "window/showMessage");
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap()
            .contains("the account is invalid"),
        "{m}"
    );
    assert_eq!(s.diagnostics(), Vec::<Value>::new());

    // Fixed, with the sequence added: on again, and the error is gone.
    let fixed = good.replacen(
        "\"sequences\": [",
        "\"sequences\": [{\"name\": \"Fresh\", \"steps\": [{\"type\": \"task\", \"title\": \"x\"}]},",
        1,
    );
    std::fs::write(&path, fixed).unwrap();
    change(&mut s, &file, 3, script);
    let diags = s.diagnostics();
    assert!(diags.iter().all(|d| d["code"] != "E0101"), "{diags:?}");
    let r = s.request("textDocument/hover", pos(&file, 0, 43));
    assert!(hover_text(&r).contains("**sequence** `Fresh`"), "{r}");
    finish(s);
}

#[test]
fn the_reason_for_features_being_off_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path());
    let file = format!("{}/h.wf", uri(dir.path()));
    for version in 1..4 {
        open(
            &mut s,
            &file,
            &format!("when form_submitted(\"{version}\") then unenroll\n"),
        );
        s.diagnostics();
    }
    let r = s.request("textDocument/completion", pos(&file, 0, 2));
    assert!(labels(&r).contains(&"when".to_owned()));
    let said = s
        .passed_over
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .count();
    assert_eq!(said, 1);
    finish(s);
}

#[test]
fn a_document_outside_the_client_folder_finds_its_own_wf_toml() {
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = project();
    let mut s = start(elsewhere.path());
    let file = format!("{}/i.wf", uri(dir.path()));
    open(
        &mut s,
        &file,
        "when form_submitted(\"q\") then enroll in \"Bookng\" from owner\n",
    );
    assert!(s.diagnostics().iter().any(|d| d["code"] == "E0101"));
    finish(s);
}

#[test]
fn a_closed_document_has_its_diagnostics_cleared() {
    let (_dir, mut s, file) = opened("j.wf", "when nope() then unenroll\n");
    assert!(!s.diagnostics().is_empty());
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file}}),
    );
    assert_eq!(s.diagnostics(), Vec::<Value>::new());
    finish(s);
}

/// The Neovim 0.7 set-up of `docs/editors.md`, as written there, with `wf`
/// found on `PATH`: a `.wf` file of a project gets the server attached, its
/// diagnostics, completion and hover.
#[test]
fn the_documented_neovim_setup_works() {
    if !has_nvim() {
        return;
    }
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md"))
            .unwrap();
    let section = docs.split("### Neovim 0.7").nth(1).unwrap();
    let init = section
        .split("```lua\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let dir = project();
    std::fs::write(dir.path().join("init.lua"), init).unwrap();
    let script = dir.path().join("a.wf");
    std::fs::write(
        &script,
        "when form_submitted(\"q\") then enroll in \"Bookng\" from owner\nwhen form_submitted(\"r\") then enroll in \"Boo\n",
    )
    .unwrap();
    let out = dir.path().join("out.txt");
    let lua = format!(
        r#"
local out = io.open({out:?}, "w")
vim.cmd("edit " .. {file:?})
local buf = vim.api.nvim_get_current_buf()
out:write("filetype " .. vim.bo[buf].filetype .. " omnifunc " .. vim.bo[buf].omnifunc .. "\n")
vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  out:write("diagnostic " .. d.lnum .. ":" .. d.col .. " " .. tostring(d.code) .. "\n")
end
local function at(line, character)
  return {{ textDocument = {{ uri = vim.uri_from_bufnr(buf) }}, position = {{ line = line, character = character }} }}
end
for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/completion", at(1, 44), 10000) or {{}}) do
  for _, item in ipairs(r.result or {{}}) do
    out:write("completion " .. item.label .. "\n")
  end
end
for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/hover", at(0, 5), 10000) or {{}}) do
  if r.result then
    out:write("hover " .. r.result.contents.value:gsub("\n", " ") .. "\n")
  end
end
out:close()
vim.cmd("qall!")
"#,
        out = out.display().to_string(),
        file = script.display().to_string(),
    );
    let lua_file = dir.path().join("test.lua");
    std::fs::write(&lua_file, lua).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_wf")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let status = Command::new("nvim")
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(dir.path().join("init.lua"))
        .arg("-c")
        .arg(format!("luafile {}", lua_file.display()))
        .env("PATH", path)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(
        report.contains("filetype wf omnifunc v:lua.vim.lsp.omnifunc"),
        "{report}"
    );
    assert!(report.contains("diagnostic 1:40 E0001"), "{report}");
    assert!(report.contains("completion \"Booking\""), "{report}");
    assert!(
        report.contains("hover **trigger** `form_submitted("),
        "{report}"
    );
}
