//! The project file `wf.toml` (see `docs/testing.md`, "The project file").
//!
//! An analyst's folder may hold a `wf.toml` naming the account, the
//! scripts (globs), the tests (globs) and the events file the project's
//! replays use (`wf diff`, `wf report`), relative to the file. Commands that take scripts or `--account` look for the nearest
//! `wf.toml` from the current folder upwards when they are not given
//! ([`resolve`]); what the command line gives wins.
//!
//! Paths are kept relative: a project found in the current folder gives
//! `qualify.wf`, one found a folder up gives `../qualify.wf`, so messages
//! and diagnostics name files as the user would type them.
//!
//! Every mistake in the file (an unknown key, a value of the wrong type, a
//! bad glob, a glob that matches no file, a missing account) is an
//! [`InputError`] at the key or value, `wf.toml:LINE:COL`.

pub mod doc;
mod glob;

use crate::diagnostic::InputError;
use doc::Doc;
use std::path::{Component, Path, PathBuf};

/// The name of the project file.
pub const FILE_NAME: &str = "wf.toml";

/// The test globs when `tests` is absent.
pub const DEFAULT_TESTS: &str = "tests/**/*.test.toml";

/// A project file, read and checked: its paths joined to its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The folder holding `wf.toml` (empty for the current folder).
    pub root: PathBuf,
    /// The account file, if the project names one.
    pub account: Option<PathBuf>,
    /// The scripts the `scripts` globs match: globs in order, each glob's
    /// files sorted by path, without repeats.
    pub scripts: Vec<PathBuf>,
    /// The `tests` globs, relative to `root`.
    pub tests: Vec<String>,
    /// The events file, if the project names one.
    pub events: Option<PathBuf>,
}

impl Project {
    /// The path of the project file itself.
    pub fn file(&self) -> PathBuf {
        self.root.join(FILE_NAME)
    }

    /// The test files the `tests` globs match, sorted by path. A glob that
    /// matches nothing is not an error here: a new project has no tests.
    pub fn test_files(&self) -> Result<Vec<PathBuf>, InputError> {
        let doc = Doc::new(&self.file().display().to_string(), "");
        let mut files = Vec::new();
        for pattern in &self.tests {
            let matcher = glob::Glob::new(pattern).map_err(|e| doc.whole(e))?;
            for path in matcher.files(&self.root) {
                if !files.contains(&path) {
                    files.push(path);
                }
            }
        }
        files.sort();
        Ok(files)
    }
}

/// The folder of the nearest `wf.toml` from `dir` upwards, kept relative
/// when `dir` is (`tests` → `tests`, then the empty path, then `..`).
pub fn find_from(dir: &Path) -> Option<PathBuf> {
    let here = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let depth = std::path::absolute(here).ok()?.ancestors().count();
    let mut dir = dir.to_path_buf();
    for _ in 0..depth {
        if dir.join(FILE_NAME).is_file() {
            return Some(dir);
        }
        dir = parent(&dir);
    }
    None
}

/// The folder above `dir`, lexically: the last name dropped, or `..` added.
fn parent(dir: &Path) -> PathBuf {
    let mut up = dir.to_path_buf();
    match dir.components().next_back() {
        Some(Component::Normal(_)) => {
            up.pop();
        }
        _ => up.push(".."),
    }
    up
}

/// `a/b/../c` → `a/c`: joins of relative paths made readable. A name
/// followed by `..` cancels out; leading `..` stay.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The project whose `wf.toml` is nearest from the current folder
/// upwards, read and checked; `None` when there is none.
pub fn discover() -> Result<Option<Project>, InputError> {
    match find_from(Path::new("")) {
        Some(root) => load(&root).map(Some),
        None => Ok(None),
    }
}

/// Reads and checks `ROOT/wf.toml`.
pub fn load(root: &Path) -> Result<Project, InputError> {
    let path = root.join(FILE_NAME);
    let name = path.display().to_string();
    let text = crate::source::read_text(&path, crate::source::FileKind::PROJECT)?;
    let doc = Doc::new(&name, &text);
    let table = doc.parse(&text)?;
    doc.known_keys(
        &table,
        " in wf.toml",
        &["account", "scripts", "tests", "events"],
    )?;
    let mut project = Project {
        root: root.to_path_buf(),
        account: None,
        scripts: Vec::new(),
        tests: vec![DEFAULT_TESTS.to_owned()],
        events: None,
    };
    if let Some(value) = table.get("account") {
        project.account = Some(existing_file(&doc, root, "account", value)?);
    }
    if let Some(value) = table.get("events") {
        project.events = Some(existing_file(&doc, root, "events", value)?);
    }
    if let Some(value) = table.get("scripts") {
        for (pattern, span) in doc.strings("scripts", value)? {
            let matcher = glob::Glob::new(&pattern).map_err(|e| doc.error(span.clone(), e))?;
            let files = matcher.files(root);
            if files.is_empty() {
                return Err(doc.error(span, format!("`{pattern}` matches no file")));
            }
            for file in files {
                if !project.scripts.contains(&file) {
                    project.scripts.push(file);
                }
            }
        }
    }
    if let Some(value) = table.get("tests") {
        project.tests = Vec::new();
        for (pattern, span) in doc.strings("tests", value)? {
            glob::Glob::new(&pattern).map_err(|e| doc.error(span, e))?;
            project.tests.push(pattern);
        }
    }
    Ok(project)
}

/// The file a key names, joined to the project's folder; a located error
/// at the value when there is no such file.
fn existing_file(
    doc: &Doc,
    root: &Path,
    key: &str,
    value: &doc::Value<'_>,
) -> Result<PathBuf, InputError> {
    let name = doc.string(key, value)?;
    let path = normalize(&root.join(&name));
    if path.is_file() {
        Ok(path)
    } else {
        Err(doc.error(
            value.span(),
            format!("{key} file `{}` does not exist", path.display()),
        ))
    }
}

/// The events file a command replays: the one given on the command line,
/// else the nearest project's `events`.
pub fn events(given: Option<PathBuf>) -> Result<PathBuf, InputError> {
    if let Some(path) = given {
        return Ok(path);
    }
    discover()?.and_then(|p| p.events).ok_or_else(|| {
        InputError::new(
            "",
            None,
            "no --events given and no wf.toml with `events` found in this folder or above",
        )
    })
}

/// The scripts and account a command works on: those given on the command
/// line, else the project's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The scripts, in order.
    pub scripts: Vec<PathBuf>,
    /// The account file.
    pub account: Option<PathBuf>,
}

impl Inputs {
    /// The scripts, or an error saying how to give them.
    pub fn require_scripts(&self) -> Result<&[PathBuf], InputError> {
        if self.scripts.is_empty() {
            Err(InputError::new(
                "",
                None,
                "no scripts given and no wf.toml with `scripts` found in this folder or above",
            ))
        } else {
            Ok(&self.scripts)
        }
    }

    /// The account file, or an error saying how to give it.
    pub fn require_account(&self) -> Result<&Path, InputError> {
        self.account.as_deref().ok_or_else(|| {
            InputError::new(
                "",
                None,
                "no --account given and no wf.toml with `account` found in this folder or above",
            )
        })
    }
}

/// Fills in what the command line left out from the nearest project: the
/// scripts when `scripts` is empty, the account when `account` is `None`.
/// When both are given no `wf.toml` is read, so a broken project file
/// cannot stop a command that does not need it.
pub fn resolve(scripts: Vec<PathBuf>, account: Option<PathBuf>) -> Result<Inputs, InputError> {
    if !scripts.is_empty() && account.is_some() {
        return Ok(Inputs { scripts, account });
    }
    let project = discover()?;
    let mut inputs = Inputs { scripts, account };
    if let Some(project) = project {
        if inputs.scripts.is_empty() {
            inputs.scripts = project.scripts;
        }
        if inputs.account.is_none() {
            inputs.account = project.account;
        }
    }
    Ok(inputs)
}

/// [`resolve`] for a command that needs both scripts and an account
/// (`check`, `run`).
pub fn scripts_and_account(
    scripts: Vec<PathBuf>,
    account: Option<PathBuf>,
) -> Result<(Vec<PathBuf>, PathBuf), InputError> {
    let inputs = resolve(scripts, account)?;
    let account = inputs.require_account()?.to_path_buf();
    let scripts = inputs.require_scripts()?.to_vec();
    Ok((scripts, account))
}

/// [`resolve`] for a command that needs scripts only (`fmt`): the
/// project's account is not read, so it need not exist.
pub fn scripts(scripts: Vec<PathBuf>) -> Result<Vec<PathBuf>, InputError> {
    if !scripts.is_empty() {
        return Ok(scripts);
    }
    let inputs = resolve(Vec::new(), None)?;
    inputs.require_scripts().map(<[PathBuf]>::to_vec)
}

#[cfg(test)]
mod tests;
