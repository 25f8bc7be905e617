//! The documented `wf diff` sessions run as written: the worked example of
//! `docs/diff.md` and the README's tour, each command run with the real
//! binary and its output compared with the text the reader sees.
//!
//! A session is a list of `$ COMMAND` lines, each followed by the output
//! it prints. The commands the documents use are understood here: `cd`,
//! `sed 's/A/B/' IN > OUT`, `wf diff …` (or `cargo run -q -- diff …`)
//! optionally piped to `tail -1`, and `echo $?`. Anything else fails the
//! test, so a new command in the documents needs a line here.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One command and the lines the document shows after it.
struct Step {
    command: String,
    output: Vec<String>,
}

/// The `$` commands of `lines`, each with the lines up to the next one.
fn steps<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in lines {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_owned(),
                output: Vec::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.output.push(line.to_owned());
        }
    }
    steps
}

/// How a document shows output: in full, or with `…` lines standing for
/// lines left out.
#[derive(Clone, Copy)]
enum Shown {
    Whole,
    Elided,
}

/// Runs `steps` from the repository's root in a scratch folder standing
/// for `/tmp`, comparing each command's output with what is shown.
fn run(name: &str, steps: &[Step], shown: Shown) {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-docs-{name}"));
    std::fs::create_dir_all(&scratch).unwrap();
    let scratch = format!("{}/", scratch.display());
    let mut cwd: PathBuf = root().to_path_buf();
    let mut last_code = None;
    assert!(!steps.is_empty(), "{name}: no commands found");
    for step in steps {
        let command = step.command.replace("/tmp/", &scratch);
        let words: Vec<&str> = command.split_whitespace().collect();
        let printed = match words.as_slice() {
            ["cd", dir] => {
                cwd = cwd.join(dir);
                String::new()
            }
            ["sed", ..] => {
                sed(&cwd, &command);
                String::new()
            }
            ["echo", "$?"] => format!("{}\n", last_code.unwrap()),
            ["wf", "diff", rest @ ..] | ["cargo", "run", "-q", "--", "diff", rest @ ..] => {
                let (args, tail) = match rest {
                    [args @ .., "|", "tail", "-1"] => (args, true),
                    args => (args, false),
                };
                let out = Command::new(env!("CARGO_BIN_EXE_wf"))
                    .arg("diff")
                    .args(args)
                    .current_dir(&cwd)
                    .env("NO_COLOR", "1")
                    .output()
                    .unwrap();
                last_code = out.status.code();
                assert!(
                    matches!(last_code, Some(0 | 1)),
                    "{name}: `{}` failed: {}",
                    step.command,
                    String::from_utf8_lossy(&out.stderr)
                );
                let text = String::from_utf8(out.stdout).unwrap();
                if tail {
                    format!("{}\n", text.lines().last().unwrap_or(""))
                } else {
                    text
                }
            }
            _ => panic!("{name}: no way to run `{}`", step.command),
        };
        compare(name, step, &printed, shown);
    }
}

/// The document's lines against the printed ones: equal, or with `…`
/// lines the shown ones in order among the printed ones.
fn compare(name: &str, step: &Step, printed: &str, shown: Shown) {
    let printed: Vec<&str> = printed.lines().map(str::trim_end).collect();
    let expected: Vec<&str> = step.output.iter().map(|l| l.trim_end()).collect();
    match shown {
        Shown::Whole => assert_eq!(
            printed, expected,
            "{name}: `{}` prints otherwise than documented",
            step.command
        ),
        Shown::Elided => {
            let mut rest = printed.iter();
            for line in expected.iter().filter(|l| l.trim() != "…") {
                assert!(
                    rest.any(|p| p == line),
                    "{name}: `{}` does not print `{line}` where documented; it prints:\n{}",
                    step.command,
                    printed.join("\n")
                );
            }
        }
    }
}

/// `sed 's/FROM/TO/' IN > OUT`, the one form the documents use.
fn sed(cwd: &Path, command: &str) {
    let script = command
        .split('\'')
        .nth(1)
        .and_then(|s| s.strip_prefix("s/"))
        .and_then(|s| s.strip_suffix('/'))
        .unwrap();
    let (from, to) = script.split_once('/').unwrap();
    let files = command.rsplit('\'').next().unwrap();
    let (input, output) = files.split_once('>').unwrap();
    let text = std::fs::read_to_string(cwd.join(input.trim())).unwrap();
    assert!(text.contains(from), "`{from}` is not in {}", input.trim());
    std::fs::write(cwd.join(output.trim()), text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_worked_example_of_the_diff_guide_prints_what_it_shows() {
    let text = std::fs::read_to_string(root().join("docs/diff.md")).unwrap();
    let section = text
        .split("## A worked example")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    // The fenced blocks of the section, one session.
    let blocks = section
        .split("```")
        .skip(1)
        .step_by(2)
        .flat_map(|block| block.strip_prefix("text\n").unwrap().lines());
    let steps = steps(blocks);
    assert!(steps.len() >= 5);
    run("guide", &steps, Shown::Whole);
}

#[test]
fn the_readme_tour_of_diff_prints_what_it_shows() {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = text
        .split("**See the impact**")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .skip(1)
        .take_while(|p| p.starts_with("    "))
        .flat_map(|p| p.lines().map(|l| l.strip_prefix("    ").unwrap_or(l)));
    let steps = steps(section);
    assert!(steps.len() >= 3);
    run("readme", &steps, Shown::Elided);
}
