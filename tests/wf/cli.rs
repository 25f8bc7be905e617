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

// ---- files: reading bounded, writing all or nothing, names -------------

/// Runs and gives up after `seconds` (then the test fails): for commands
/// that used to wait for ever.
fn within(seconds: u64, args: &[&str]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() >= seconds {
            let _ = child.kill();
            panic!("`wf {}` still running after {seconds} s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn fmt_refuses_a_fifo_instead_of_waiting() {
    let dir = tempdir("fifo");
    let fifo = dir.join("pipe.wf");
    let _ = std::fs::remove_file(&fifo);
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = within(20, &["fmt", fifo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        format!(
            "error: {}: is not a regular file (a FIFO, a socket or a device): \
             `wf fmt` formats files in place\n",
            fifo.display()
        )
    );
}

#[test]
fn fmt_replaces_the_file_and_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("fmt-atomic");
    let path = dir.join("x.wf");
    std::fs::write(&path, "when   form_submitted(\"a\")   then unenroll\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o604)).unwrap();
    let out = within(60, &["fmt", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "when form_submitted(\"a\") then unenroll\n"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o604);
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn an_endless_script_or_account_stops_at_its_limit() {
    let out = within(60, &["check", "/dev/zero", "--account", ACCOUNT]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: /dev/zero: script is too large (more than 8388608 bytes, the limit)\n"
    );
    let out = within(60, &["parse", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    // Events stream, but one endless line stops at the line limit.
    let out = within(
        60,
        &[
            "run",
            "examples/qualify.wf",
            "--account",
            "examples/account.json",
            "--events",
            "/dev/zero",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: /dev/zero:1:1: line is too long (more than 16777216 bytes, the limit); \
         nothing after it is read\n"
    );
}

#[test]
fn two_scripts_with_one_base_name_are_refused_naming_both() {
    let d1 = tempdir("names-1");
    let d2 = tempdir("names-2");
    let script = "when form_submitted(\"a\") then unenroll\n";
    std::fs::write(d1.join("x.wf"), script).unwrap();
    std::fs::write(d2.join("x.wf"), script).unwrap();
    let (a, b) = (d1.join("x.wf"), d2.join("x.wf"));
    let out = within(
        60,
        &[
            "check",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--account",
            ACCOUNT,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {}: has the same base name as `{}`: trace records name rules \
             `x.wf:LINE`, so two scripts named `x.wf` cannot be used together; rename one\n",
            b.display(),
            a.display()
        )
    );
}

#[test]
fn the_same_script_twice_is_read_once_with_a_warning() {
    let dir = tempdir("names-twice");
    let path = dir.join("once.wf");
    std::fs::write(&path, "when form_submitted(\"a\") then unenroll\n").unwrap();
    let again = dir.join(".").join("once.wf");
    let out = within(
        60,
        &[
            "check",
            path.to_str().unwrap(),
            again.to_str().unwrap(),
            "--account",
            ACCOUNT,
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "warning: {} is the same file as {}: it is read once\nno problems found\n",
            again.display(),
            path.display()
        )),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
}

#[test]
fn a_backslash_is_part_of_a_script_name_in_the_trace() {
    let dir = tempdir("backslash");
    let script = dir.join("x\\y.wf");
    std::fs::write(&script, "when form_submitted(\"qualify\") then unenroll\n").unwrap();
    let out = within(
        60,
        &[
            "run",
            script.to_str().unwrap(),
            "--account",
            "examples/account.json",
            "--events",
            "examples/events.jsonl",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout.contains("\"rule\":\"x\\\\y.wf:1\""), "{stdout}");
}
