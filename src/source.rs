//! Source files: reading them, and the names and texts that diagnostics
//! point into.
//!
//! [`read_text`] is the one way `wf` reads a text file it was given (a
//! script, an account, a file loaded in the REPL): at most the file kind's
//! limit plus one byte is read, so `/dev/zero` or a huge file stops at once
//! with "… is too large"; the text must be UTF-8 (the first bad byte is
//! reported by line and column); a UTF-8 byte order mark at the start is
//! dropped. Every failure is an [`InputError`] naming the file.
//!
//! A [`Sources`] owns every text the pipeline has read (scripts, the
//! account, events) under the name the user gave for it. A [`FileId`] is an
//! index into it; positions are byte offsets and are turned into 1-based
//! line and column numbers (columns count characters) only for display.
//! Trace records name a rule `BASE:LINE` by its script's base name (the
//! part after the last `/`), so [`Sources::base_name_clash`] finds a second
//! script that would print under the same name and [`distinct_paths`] drops
//! a file named twice; see `docs/cli.md` ("Script names").
//!
//! [`escaped`] shows user text inside a message: control characters and
//! byte order marks become `\u{…}`, so a message never carries them raw.

use crate::diagnostic::{InputError, Location};
use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a file is read as: the word its messages use and the most bytes it
/// may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    /// The word messages use: "script is too large".
    pub noun: &'static str,
    /// The most bytes the file may hold.
    pub max_bytes: usize,
}

impl FileKind {
    /// A `.wf` script: [`crate::syntax::MAX_SCRIPT_BYTES`].
    pub const SCRIPT: FileKind = FileKind {
        noun: "script",
        max_bytes: crate::syntax::MAX_SCRIPT_BYTES,
    };
    /// An account file: [`crate::account::MAX_ACCOUNT_BYTES`].
    pub const ACCOUNT: FileKind = FileKind {
        noun: "account",
        max_bytes: crate::account::MAX_ACCOUNT_BYTES,
    };
    /// A project's `wf.toml`: as large as a script may be.
    pub const PROJECT: FileKind = FileKind {
        noun: "project file",
        max_bytes: crate::syntax::MAX_SCRIPT_BYTES,
    };
    /// A file of the CRM's flows: as large as an account may be.
    pub const FLOWS: FileKind = FileKind {
        noun: "flow file",
        max_bytes: crate::account::MAX_ACCOUNT_BYTES,
    };
    /// An export of the CRM's account (owners, users, sequences, lists,
    /// contacts, overrides): as large as an account may be.
    pub const EXPORT: FileKind = FileKind {
        noun: "export file",
        max_bytes: crate::account::MAX_ACCOUNT_BYTES,
    };
    /// A `wf test` events file or trace snapshot: as large as an account
    /// may be (a test's events are read whole before they run).
    pub const TEST_DATA: FileKind = FileKind {
        noun: "test data file",
        max_bytes: crate::account::MAX_ACCOUNT_BYTES,
    };
    /// A `wf test` file: as large as a script may be.
    pub const TEST: FileKind = FileKind {
        noun: "test file",
        max_bytes: crate::syntax::MAX_SCRIPT_BYTES,
    };
}

/// Reads the text file at `path` as a `kind`: at most its limit plus one
/// byte is read (the extra byte tells a file at the limit from a larger
/// one), so neither a huge file nor an endless device is read whole. A
/// missing file, a directory, a file over the limit or invalid UTF-8 is an
/// [`InputError`] naming the file (invalid UTF-8 by the line and column of
/// its first bad byte). A UTF-8 byte order mark at the start (some Windows
/// editors write one) is dropped, so the text, and every span and column
/// into it, starts after the mark.
pub fn read_text(path: &Path, kind: FileKind) -> Result<String, InputError> {
    let bytes = read_bytes(path, kind)?;
    decode(&escaped(&path.display().to_string()), bytes)
}

/// Reads the file at `path` as a `kind`, as bytes: at most its limit plus
/// one byte, as [`read_text`] does, without decoding them (for files read
/// line by line later, whose lines are judged one by one).
pub fn read_bytes(path: &Path, kind: FileKind) -> Result<Vec<u8>, InputError> {
    let name = escaped(&path.display().to_string()).into_owned();
    let cannot_read = |e: std::io::Error| InputError::new(&name, None, format!("cannot read: {e}"));
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let metadata = file.metadata().map_err(cannot_read)?;
    if metadata.is_dir() {
        return Err(InputError::new(&name, None, "is a directory, not a file"));
    }
    let too_large = || {
        InputError::new(
            &name,
            None,
            format!(
                "{} is too large (more than {} bytes, the limit)",
                kind.noun, kind.max_bytes
            ),
        )
    };
    // A regular file says its size: one over the limit is not read at all.
    if metadata.is_file() && usize::try_from(metadata.len()).map_or(true, |n| n > kind.max_bytes) {
        return Err(too_large());
    }
    let limit = kind.max_bytes.saturating_add(1);
    // A regular file is read in one allocation of its size.
    let expected = usize::try_from(metadata.len()).unwrap_or(limit).min(limit);
    let mut bytes = Vec::with_capacity(expected);
    file.take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() > kind.max_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The byte order mark some Windows editors put at the start of a file.
const BYTE_ORDER_MARK: char = '\u{feff}';

/// Drops a byte order mark at the start of `text` (the first line of an
/// events stream, read line by line rather than through [`read_text`]).
pub fn drop_byte_order_mark(text: &mut String) {
    if text.starts_with(BYTE_ORDER_MARK) {
        text.drain(..BYTE_ORDER_MARK.len_utf8());
    }
}

/// An events input opened to be read line by line, with the name messages
/// call it by: `-` is standard input (`<stdin>`), anything else a file. An
/// events file has no size limit, so it is streamed rather than read with
/// [`read_text`]; its reader drops a leading byte order mark
/// ([`drop_byte_order_mark`]). A directory or a file that cannot be
/// opened is an [`InputError`] naming it.
pub fn open_events(path: &Path) -> Result<(String, Box<dyn Read + Send>), InputError> {
    if path.as_os_str() == "-" {
        return Ok(("<stdin>".to_owned(), Box::new(std::io::stdin())));
    }
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(InputError::new(&name, None, "is a directory, not a file"));
    }
    match std::fs::File::open(path) {
        Ok(f) => Ok((name, Box::new(f))),
        Err(e) => Err(InputError::new(&name, None, format!("cannot read: {e}"))),
    }
}

/// The UTF-8 text of a file's bytes, without a leading byte order mark;
/// invalid UTF-8 is an [`InputError`] at the line and column (in
/// characters, counted after the mark) of the first bad byte.
pub fn decode(name: &str, mut bytes: Vec<u8>) -> Result<String, InputError> {
    let mut mark = [0; 3];
    if bytes.starts_with(BYTE_ORDER_MARK.encode_utf8(&mut mark).as_bytes()) {
        bytes.drain(..BYTE_ORDER_MARK.len_utf8());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e
            .as_bytes()
            .get(..e.utf8_error().valid_up_to())
            .unwrap_or(&[]);
        // INVARIANT: the bytes before `valid_up_to` are valid UTF-8.
        let before = std::str::from_utf8(valid).unwrap_or("");
        let (line, column) = line_col_at_end(before);
        InputError::new(
            name,
            Some(Location::LineColumn(line, column)),
            "file is not valid UTF-8",
        )
    })
}

/// The 1-based line and character column just after `text`.
fn line_col_at_end(text: &str) -> (usize, usize) {
    let line = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let last = text.rsplit('\n').next().unwrap_or(text);
    (line, last.chars().count() + 1)
}

/// User text as it may appear inside a message: control characters (a
/// NUL, a newline, an escape) and byte order marks are written `\u{…}`, so
/// a message is one line of visible text whatever the input held.
pub fn escaped(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() || c == '\u{feff}';
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The base name of a script's name, as trace records name rules: the
/// part after the last `/` (`rules/qualify.wf` → `qualify.wf`). Only `/`
/// separates: on Linux `x\y.wf` is one file name.
pub fn base_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// `paths` with every later mention of a file already named left out (the
/// same file given twice is read once), and a warning for each left out.
/// Two paths are the same file when they resolve to the same place
/// (`x.wf`, `./x.wf`, a link to it); a path that does not resolve is kept
/// as it is, for reading to report. A path repeated many times gets one
/// warning.
pub fn distinct_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    // Each file by the path it was first named by; each path left out is
    // warned about once, however often it is repeated.
    let mut first_named: std::collections::HashMap<PathBuf, &PathBuf> =
        std::collections::HashMap::new();
    let mut warned: std::collections::HashSet<&std::ffi::OsStr> = std::collections::HashSet::new();
    let mut kept = Vec::new();
    let mut warnings = Vec::new();
    for path in paths {
        let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        match first_named.get(&resolved) {
            Some(first) => {
                if warned.insert(path.as_os_str()) {
                    warnings.push(format!(
                        "{} is the same file as {}: it is read once",
                        escaped(&path.display().to_string()),
                        escaped(&first.display().to_string())
                    ));
                }
            }
            None => {
                first_named.insert(resolved, path);
                kept.push(path.clone());
            }
        }
    }
    (kept, warnings)
}

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub usize);

impl fmt::Debug for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One source text and the name it is shown under.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name as given on the command line (or `<repl>`, `<demo>` …).
    pub name: String,
    /// The whole text.
    pub text: String,
    /// Byte offset of the start of every line; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file with its name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The base name of the file (`rules/qualify.wf` → `qualify.wf`), as
    /// trace records name rules (see [`base_name`]).
    pub fn base_name(&self) -> &str {
        base_name(&self.name)
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past
    /// the end, or inside a character, are clamped to a valid position.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line, column + 1)
    }
}

/// Every source text of one run, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// The files under each base name, in the order they were added: a
    /// clash is found without a pass over every file.
    by_base: std::collections::HashMap<String, Vec<usize>>,
}

impl Sources {
    /// An empty set of sources.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let file = SourceFile::new(name, text);
        self.by_base
            .entry(file.base_name().to_owned())
            .or_default()
            .push(self.files.len());
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    /// The file with this id, if there is one.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0)
    }

    /// All files in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    /// A file already added under another name with the same base name
    /// as `name`: a script named `name` would print its rules under the
    /// same `BASE:LINE` names in the trace, so the two cannot run together.
    pub fn base_name_clash(&self, name: &str) -> Option<&SourceFile> {
        self.by_base
            .get(base_name(name))?
            .iter()
            .filter_map(|&i| self.files.get(i))
            .find(|f| f.name != name)
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file has been added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let f = SourceFile::new("a.wf", "ab\nżc\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(1), (1, 2));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2)); // after the two-byte `ż`
        assert_eq!(f.line_col(7), (3, 1));
        assert_eq!(f.line_col(100), (3, 1));
    }

    #[test]
    fn base_name_drops_directories() {
        assert_eq!(SourceFile::new("x/y/q.wf", "").base_name(), "q.wf");
        assert_eq!(SourceFile::new("q.wf", "").base_name(), "q.wf");
        // A backslash is part of a file name, not a separator.
        assert_eq!(SourceFile::new(r"d/x\y.wf", "").base_name(), r"x\y.wf");
    }

    #[test]
    fn a_second_script_with_the_same_base_name_clashes() {
        let mut sources = Sources::new();
        sources.add("d1/x.wf", "");
        assert_eq!(
            sources.base_name_clash("d2/x.wf").map(|f| f.name.as_str()),
            Some("d1/x.wf")
        );
        // The same name again is the same file, not a clash.
        assert!(sources.base_name_clash("d1/x.wf").is_none());
        assert!(sources.base_name_clash(r"d2\x.wf").is_none());
        assert!(sources.base_name_clash("d2/y.wf").is_none());
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wf-source-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_file_named_twice_is_kept_once() {
        let dir = temp_dir("twice");
        let a = dir.join("a.wf");
        std::fs::write(&a, "").unwrap();
        let again = dir.join(".").join("a.wf");
        let missing = dir.join("missing.wf");
        let (kept, warnings) = distinct_paths(&[a.clone(), again, missing.clone(), a.clone()]);
        assert_eq!(kept, [a, missing]);
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings[0].ends_with("a.wf: it is read once"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn a_path_repeated_many_times_is_one_warning() {
        let dir = temp_dir("many-times");
        let a = dir.join("a.wf");
        std::fs::write(&a, "").unwrap();
        let paths = vec![a.clone(); 20_000];
        let (kept, warnings) = distinct_paths(&paths);
        assert_eq!(kept, [a]);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn a_clash_is_found_among_many_files() {
        // The first file added under the base name, whatever came between.
        let mut sources = Sources::new();
        for i in 0..5_000 {
            sources.add(format!("d{i}/s{i}.wf"), "");
        }
        sources.add("d1/x.wf", "");
        sources.add("d2/x.wf", "");
        assert_eq!(
            sources.base_name_clash("d3/x.wf").map(|f| f.name.as_str()),
            Some("d1/x.wf")
        );
        assert_eq!(
            sources.base_name_clash("d1/x.wf").map(|f| f.name.as_str()),
            Some("d2/x.wf")
        );
        assert!(sources.base_name_clash("d9/s10.wf").is_some());
        assert!(sources.base_name_clash("d10/s10.wf").is_none());
        assert!(sources.base_name_clash("d10/s5000.wf").is_none());
    }

    fn kind(max_bytes: usize) -> FileKind {
        FileKind {
            noun: "script",
            max_bytes,
        }
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let e = read_text(Path::new("/dev/zero"), kind(1000)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/zero: script is too large (more than 1000 bytes, the limit)"
        );
        let dir = temp_dir("limit");
        let at_limit = dir.join("at.wf");
        std::fs::write(&at_limit, "x".repeat(1000)).unwrap();
        assert_eq!(read_text(&at_limit, kind(1000)).unwrap().len(), 1000);
        assert!(read_text(&at_limit, kind(999)).is_err());
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_bad_utf8_is_placed() {
        assert_eq!(decode("f", b"\xef\xbb\xbfab".to_vec()).unwrap(), "ab");
        let e = decode("f", b"\xef\xbb\xbfa\n\xc5\xbcb\xff".to_vec()).unwrap_err();
        assert_eq!(e.to_string(), "f:2:3: file is not valid UTF-8");
        let dir = temp_dir("dir");
        let e = read_text(&dir, kind(10)).unwrap_err();
        assert!(e.to_string().ends_with("is a directory, not a file"), "{e}");
    }

    #[test]
    fn an_events_stream_loses_its_mark_and_names_its_input() {
        let mut line = "\u{feff}{}\n".to_owned();
        drop_byte_order_mark(&mut line);
        assert_eq!(line, "{}\n");
        drop_byte_order_mark(&mut line);
        assert_eq!(line, "{}\n", "only a mark is dropped");
        let dir = temp_dir("events");
        let file = dir.join("events.jsonl");
        std::fs::write(&file, "\u{feff}{}\n").unwrap();
        let (name, mut input) = open_events(&file).unwrap();
        assert!(name.ends_with("events.jsonl"), "{name}");
        let mut text = String::new();
        input.read_to_string(&mut text).unwrap();
        assert_eq!(
            text, "\u{feff}{}\n",
            "the reader drops the mark, not the file"
        );
        assert_eq!(open_events(Path::new("-")).unwrap().0, "<stdin>");
        let e = open_events(&dir).err().unwrap();
        assert!(e.to_string().ends_with("is a directory, not a file"), "{e}");
        assert!(open_events(&dir.join("missing.jsonl")).is_err());
    }

    #[test]
    fn control_characters_and_marks_are_escaped() {
        assert_eq!(escaped("plain `x` ż"), "plain `x` ż");
        assert_eq!(escaped("a\0b\u{feff}c\nd"), "a\\u{0}b\\u{feff}c\\u{a}d");
    }
}
