//! Integration tests: cli. The streams of the binary when they fail: a
//! closed or full standard error never panics or changes the exit code; a
//! closed standard output stops quietly; any other failure to write a
//! result is an error (exit 2).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tempdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wf"));
    c.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

fn full() -> Stdio {
    Stdio::from(File::options().write(true).open("/dev/full").unwrap())
}

/// Runs with standard error on `/dev/full`; standard output captured.
fn with_full_stderr(args: &[&str]) -> Output {
    command(args)
        .stdout(Stdio::piped())
        .stderr(full())
        .output()
        .unwrap()
}

/// Runs with standard output on `/dev/full`; standard error captured.
fn with_full_stdout(args: &[&str]) -> Output {
    command(args)
        .stdout(full())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Runs with the reading end of standard error closed before `wf` writes.
fn with_closed_stderr(args: &[&str]) -> i32 {
    let mut child = command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    child.wait().unwrap().code().unwrap()
}

/// Runs with the reading end of standard output closed (usually before
/// `wf` writes); returns the exit code and standard error.
fn with_closed_stdout(args: &[&str]) -> (i32, String) {
    let mut child = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code().unwrap(), err)
}

/// A script with `n` errors (unknown sequences), for output larger than a
/// pipe's buffer; `tag` keeps tests running at once apart.
fn many_errors(tag: &str, n: usize) -> PathBuf {
    let path = tempdir("many").join(format!("{tag}-{n}.wf"));
    let script: String = (0..n)
        .map(|i| format!("when form_submitted(\"f{i}\") then enroll in \"Nope{i}\" from owner\n"))
        .collect();
    std::fs::write(&path, script).unwrap();
    path
}

const ACCOUNT: &str = "tests/fixtures/check/account.json";

#[test]
fn check_with_an_unwritable_stderr_keeps_its_exit_code() {
    let many = many_errors("stderr", 3000);
    let many = many.to_str().unwrap();
    let out = with_full_stderr(&["check", many, "--account", ACCOUNT]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        with_closed_stderr(&["check", many, "--account", ACCOUNT]),
        1
    );
    // A clean script: only the summary line is written.
    let out = with_full_stderr(&[
        "check",
        "examples/qualify.wf",
        "--account",
        "examples/account.json",
    ]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn input_errors_with_an_unwritable_stderr_keep_exit_2() {
    let out = with_full_stderr(&["check", "nope.wf", "--account", ACCOUNT]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(with_closed_stderr(&["explain", "E9999"]), 2);
}

#[test]
fn fmt_check_with_an_unwritable_stderr_keeps_exit_1() {
    let dir = tempdir("fmt");
    let path = dir.join("messy.wf");
    std::fs::write(&path, "when form_submitted()   then unenroll\n").unwrap();
    let path = path.to_str().unwrap();
    let out = with_full_stderr(&["fmt", "--check", path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(with_closed_stderr(&["fmt", "--check", path]), 1);
    // A syntax error: the diagnostic cannot be written either.
    let bad = dir.join("bad.wf");
    std::fs::write(&bad, "when\n").unwrap();
    assert_eq!(with_closed_stderr(&["fmt", bad.to_str().unwrap()]), 1);
}

#[test]
fn explain_with_a_closed_stdout_exits_0_quietly() {
    let (code, err) = with_closed_stdout(&["explain", "E0101"]);
    assert_eq!(code, 0);
    assert_eq!(err, "");
}

#[test]
fn results_that_cannot_be_written_exit_2_with_a_message() {
    let many = many_errors("results", 50);
    let many = many.to_str().unwrap();
    for args in [
        &["explain", "E0101"][..],
        &["parse", "examples/qualify.wf"],
        &["check", many, "--account", ACCOUNT, "--format", "json"],
        // What loading the files says, before the session starts.
        &["repl", "--account", ACCOUNT, "examples/qualify.wf"],
    ] {
        let out = with_full_stdout(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("error: cannot write"), "{args:?}: {err}");
    }
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let many = many_errors("stdout", 3000);
    let many = many.to_str().unwrap();
    // The exit code still says that the scripts have errors.
    let (code, err) =
        with_closed_stdout(&["check", many, "--account", ACCOUNT, "--format", "json"]);
    assert_eq!((code, err.as_str()), (1, ""));
    let (code, err) = with_closed_stdout(&["parse", "examples/qualify.wf", "examples/handoff.wf"]);
    assert_eq!((code, err.as_str()), (0, ""));
}

/// Events arriving on a pipe one at a time (`tail -f … | wf run --events
/// -`): each event's records are written while the stream is still open,
/// not when a buffer fills or the input ends.
#[test]
fn a_live_stream_gets_its_records_as_its_events_arrive() {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::mpsc::channel;
    use std::time::Duration;
    let mut child = command(&[
        "run",
        "examples/qualify.wf",
        "--account",
        "examples/account.json",
        "--events",
        "-",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let event = |at: &str, contact: &str| {
        format!(
            r#"{{"at": "{at}", "type": "form_submitted", "contact": "{contact}", "form": "qualify"}}"#
        ) + "\n"
    };
    // A deadline only so that a failure ends the test instead of hanging it.
    let deadline = Duration::from_secs(60);
    // Each event's record arrives before the next event is written.
    for (line, (at, contact)) in [
        ("2026-03-02T08:15:00Z", "c-1"),
        ("2026-03-02T09:30:00Z", "c-2"),
    ]
    .into_iter()
    .enumerate()
    {
        stdin.write_all(event(at, contact).as_bytes()).unwrap();
        stdin.flush().unwrap();
        let record = received
            .recv_timeout(deadline)
            .expect("no record before the next event");
        assert!(
            record.contains(&format!(r#""contact":"{contact}""#)),
            "{record}"
        );
        assert!(
            record.contains(&format!(r#""event":{}"#, line + 1)),
            "{record}"
        );
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}
