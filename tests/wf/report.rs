//! `wf report`: the bundled example's page is self-contained and
//! deterministic, its counts agree with the trace, bad input leaves no
//! file; and in headless Chromium the page loads without console errors,
//! its script draws the contacts and a timeline, the page answers which
//! reason skipped the most contacts, which sender hit the limit on which
//! day and what happened to one contact, and screenshots show the charts,
//! the timeline and no blank stretch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wf::runtime::{Decision, Engine, Options, Record, replay_records};
use wf::source::Sources;

const SCRIPTS: [&str; 4] = ["qualify.wf", "handoff.wf", "no_show.wf", "unenroll.wf"];

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn wf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wf"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A fresh folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The example's records with steps, as the replay makes them.
fn example_records() -> Vec<Record> {
    let dir = examples();
    let text = std::fs::read_to_string(dir.join("account.json")).unwrap();
    let account = wf::account::from_text("account.json", &text, false).unwrap();
    let mut sources = Sources::new();
    let mut programs = Vec::new();
    for name in SCRIPTS {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let id = sources.add(name, text.clone());
        programs.push((id, wf::syntax::parse(id, &text).unwrap()));
    }
    let mut engine = Engine::new(&account, &sources, &programs);
    engine.set_steps(true);
    let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    replay_records(&mut engine, &events, Options::default()).unwrap()
}

/// Per rule: how often its trigger matched and its condition held, as
/// the engine's counters say.
fn example_rule_counts() -> Vec<(String, u64, u64)> {
    let dir = examples();
    let text = std::fs::read_to_string(dir.join("account.json")).unwrap();
    let account = wf::account::from_text("account.json", &text, false).unwrap();
    let mut sources = Sources::new();
    let mut programs = Vec::new();
    for name in SCRIPTS {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let id = sources.add(name, text.clone());
        programs.push((id, wf::syntax::parse(id, &text).unwrap()));
    }
    let mut engine = Engine::new(&account, &sources, &programs);
    engine.set_counting(true);
    let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    replay_records(&mut engine, &events, Options::default()).unwrap();
    engine
        .rule_counts()
        .unwrap()
        .into_iter()
        .map(|c| {
            let held = c.condition.as_ref().map_or(c.triggered, |k| k.held);
            (c.rule, c.triggered, held)
        })
        .collect()
}

/// Counts the page must show, from the records: skips and unenrolls by
/// reason, and per sender the emails sent, deferred and limit skips.
struct Expected {
    skips: BTreeMap<String, usize>,
    unenrolls: BTreeMap<String, usize>,
    sent: BTreeMap<String, usize>,
    deferred: BTreeMap<String, usize>,
    limit_skips: BTreeMap<String, usize>,
}

fn expected() -> Expected {
    let mut e = Expected {
        skips: BTreeMap::new(),
        unenrolls: BTreeMap::new(),
        sent: BTreeMap::new(),
        deferred: BTreeMap::new(),
        limit_skips: BTreeMap::new(),
    };
    for r in example_records() {
        let reason = r.reason.map(|r| r.as_str().to_owned());
        let sender = r.sender.clone().unwrap_or_default();
        match r.decision {
            Decision::Skip => {
                if reason.as_deref() == Some("daily_send_limit") {
                    *e.limit_skips.entry(sender).or_default() += 1;
                }
                *e.skips.entry(reason.unwrap()).or_default() += 1;
            }
            Decision::Unenroll => *e.unenrolls.entry(reason.unwrap()).or_default() += 1,
            Decision::EmailSent => *e.sent.entry(sender).or_default() += 1,
            Decision::EmailDeferred => *e.deferred.entry(sender).or_default() += 1,
            _ => {}
        }
    }
    e
}

/// The number in the element whose attribute `attr` is `value`:
/// `<td … data-skip-reason="no_owner">3</td>` → 3.
fn count_of(html: &str, attr: &str, value: &str) -> Option<usize> {
    let key = format!("{attr}=\"{value}\">");
    let start = html.find(&key)? + key.len();
    let digits: String = html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn check_counts(html: &str, what: &str) {
    let e = expected();
    assert!(
        e.skips.len() >= 3,
        "the example has several skip reasons: {:?}",
        e.skips
    );
    for (reason, n) in &e.skips {
        assert_eq!(
            count_of(html, "data-skip-reason", reason),
            Some(*n),
            "{what}: skips with reason {reason}"
        );
    }
    for (reason, n) in &e.unenrolls {
        assert_eq!(
            count_of(html, "data-unenroll-reason", reason),
            Some(*n),
            "{what}: unenrolls with reason {reason}"
        );
    }
    assert!(!e.sent.is_empty());
    for (sender, n) in &e.sent {
        assert_eq!(
            count_of(html, "data-sent", sender),
            Some(*n),
            "{what}: emails sent by {sender}"
        );
        let deferred = e.deferred.get(sender).copied().unwrap_or(0);
        assert_eq!(
            count_of(html, "data-deferred", sender),
            Some(deferred),
            "{what}: deferred for {sender}"
        );
        let skips = e.limit_skips.get(sender).copied().unwrap_or(0);
        assert_eq!(
            count_of(html, "data-limit-skips", sender),
            Some(skips),
            "{what}: limit skips of {sender}"
        );
    }
}

/// `wf demo --report FILE` into a fresh folder; the page's text.
fn demo_page(dir: &Path) -> (PathBuf, String) {
    let path = dir.join("report.html");
    let out = wf(&["demo", "--report", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

#[test]
fn the_page_counts_what_the_trace_says() {
    let (_, html) = demo_page(&scratch("counts"));
    check_counts(&html, "page");
    assert!(
        html.contains("id=\"contacts-shown\">All "),
        "a small run shows every contact"
    );
    assert!(html.contains("<svg "), "charts are inline SVG");
    let counts = example_rule_counts();
    assert!(
        counts.iter().any(|(_, m, h)| m > h),
        "some condition failed: {counts:?}"
    );
    for (rule, matched, held) in counts {
        assert_eq!(
            count_of(&html, "data-matched", &rule),
            Some(matched as usize),
            "{rule} matched"
        );
        assert_eq!(
            count_of(&html, "data-held", &rule),
            Some(held as usize),
            "{rule} held"
        );
    }
    assert!(
        html.contains("<details><summary><code>qualify.wf:"),
        "rules open on their source"
    );
}

#[test]
fn the_page_is_self_contained_and_deterministic() {
    let dir = scratch("offline");
    let (_, first) = demo_page(&dir);
    let (_, second) = demo_page(&dir);
    assert_eq!(first, second, "the same inputs give the same bytes");
    for needle in ["src=", "url(", "@import", "<link", "href=\"http", "fetch("] {
        assert!(!first.contains(needle), "the page must not load `{needle}`");
    }
    // The only address is the SVG namespace, which is never fetched.
    let addresses = first.matches("http").count();
    let namespaces = first
        .matches("xmlns=\"http://www.w3.org/2000/svg\"")
        .count();
    assert_eq!(addresses, namespaces, "no address but the SVG namespace");
}

#[test]
fn wf_report_matches_wf_demo_report_and_reads_the_project() {
    let dir = scratch("project");
    let (_, demo) = demo_page(&dir);
    let out_path = dir.join("project.html");
    let out = Command::new(env!("CARGO_BIN_EXE_wf"))
        .args(["report"])
        .args(SCRIPTS)
        .args(["-o", out_path.to_str().unwrap()])
        .current_dir(examples())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&out_path).unwrap();
    check_counts(&page, "wf report");
    // Only the events file's name differs (given by wf.toml).
    assert_eq!(demo.len(), page.len(), "same page as the demo's");
}

#[test]
fn a_bad_event_line_is_located_and_leaves_no_file() {
    let dir = scratch("bad");
    let events = dir.join("events.jsonl");
    let good = std::fs::read_to_string(examples().join("events.jsonl")).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(2, r#"{"at": "2026-03-02T09:00:00Z", "type": "form_submitted", "contact": "nobody", "form": "qualify"}"#);
    std::fs::write(&events, lines.join("\n")).unwrap();
    let out_path = dir.join("report.html");
    let args: Vec<String> = std::iter::once("report".to_owned())
        .chain(
            SCRIPTS
                .iter()
                .map(|s| examples().join(s).display().to_string()),
        )
        .chain([
            "--account".into(),
            examples().join("account.json").display().to_string(),
            "--events".into(),
            events.display().to_string(),
            "-o".into(),
            out_path.display().to_string(),
        ])
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = wf(&args);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:3:", events.display())),
        "names file and line: {err}"
    );
    assert!(!out_path.exists(), "no partial report");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the events file is there");

    // An earlier report stays as it was.
    std::fs::write(&out_path, "earlier").unwrap();
    assert_eq!(wf(&args).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "earlier");

    // A folder as the output is exit 2 with its name.
    let out = wf(&["demo", "--report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}

// ---- the real browser ----

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "chromium-headless-shell"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Runs headless Chromium on `url` with `extra` flags; its output.
fn browse(browser: &str, profile: &Path, extra: &[&str], url: &str) -> Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .unwrap()
}

/// Console messages that are errors (an uncaught exception, a
/// `console.error`), from Chromium's log on standard error.
fn console_errors(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .filter(|l| l.contains("Uncaught") || l.contains(":ERROR:") || l.contains("Error"))
        .map(str::to_owned)
        .collect()
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn in_chromium_the_page_runs_its_script_without_errors() {
    let Some(browser) = chromium() else {
        println!("notice: chromium is not installed; the report's browser test is skipped");
        return;
    };
    let dir = scratch("browser");
    let (path, _) = demo_page(&dir);

    // The detector sees a console error: a page that throws.
    let broken = dir.join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><body><p>x</p><script>null.boom();</script></body></html>",
    )
    .unwrap();
    let out = browse(
        browser,
        &dir.join("profile-0"),
        &["--dump-dom"],
        &file_url(&broken),
    );
    assert!(
        !console_errors(&out.stderr).is_empty(),
        "the console error detector must see a thrown error: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = browse(
        browser,
        &dir.join("profile-1"),
        &["--dump-dom"],
        &file_url(&path),
    );
    assert!(out.status.success());
    let errors = console_errors(&out.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the script ran to its end"
    );
    assert!(
        dom.contains("<a href=\"#contact=c-1\">c-1</a>"),
        "the script listed the contacts"
    );
    assert!(
        dom.contains(" contacts match"),
        "the script said how many match"
    );
    check_counts(&dom, "rendered DOM");

    // A contact's timeline, opened by its address.
    let url = format!("{}#contact=c-1", file_url(&path));
    let out = browse(browser, &dir.join("profile-2"), &["--dump-dom"], &url);
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(console_errors(&out.stderr).is_empty());
    assert!(dom.contains("Timeline of c-1"), "timeline drawn");
    let records = example_records();
    let c1 = records
        .iter()
        .filter(|r| r.contact.as_deref() == Some("c-1"))
        .count();
    let timeline = &dom[dom.find("Timeline of c-1").unwrap()..];
    let rows = timeline.matches("data-decision=").count();
    assert_eq!(rows, c1, "one timeline row per record of c-1");

    answers_the_three_questions(&dom);

    // Screenshots, wide and narrow, of the page with c-1's timeline open
    // (the window tall enough for the whole page): the skip bars, the
    // senders' bars and the timeline's highlighted rows are drawn, and the
    // page is inked from its top to its end.
    for (name, size) in [("wide", "1280,4800"), ("narrow", "420,7000")] {
        let shot = dir.join(format!("{name}.png"));
        let out = browse(
            browser,
            &dir.join(format!("profile-{name}")),
            &[
                &format!("--screenshot={}", shot.display()),
                &format!("--window-size={size}"),
                "--hide-scrollbars",
            ],
            &url,
        );
        assert!(shot.exists(), "{}", String::from_utf8_lossy(&out.stderr));
        let image = Image::read(&shot);
        assert_eq!(image.width.to_string(), size.split(',').next().unwrap());
        let share = image.share(|p| p.iter().take(3).any(|&v| v < 200));
        assert!(
            share > 0.02,
            "{name} screenshot is blank ({share:.4} inked)"
        );
        // Skip bars (#c05621), sender bars (#2b6cb0), skip rows (#fff5f5).
        for (what, rgb, least) in [
            ("skip bars", [0xc0, 0x56, 0x21], 500),
            ("sender bars", [0x2b, 0x6c, 0xb0], 2000),
            ("timeline skip rows", [0xff, 0xf5, 0xf5], 2000),
        ] {
            let n = image.count(|p| p.get(..3) == Some(&rgb[..]));
            assert!(n >= least, "{name}: {what} drawn ({n} pixels)");
        }
        // Each tenth of the page's length down to its inked end holds ink:
        // no section came out blank.
        let end = image.last_inked_row();
        assert!(end > image.height / 2, "{name}: the page ends at row {end}");
        for tenth in 0..10 {
            let rows = (end * tenth / 10)..(end * (tenth + 1) / 10);
            let inked = image.rows_share(rows, |p| p.iter().take(3).any(|&v| v < 200));
            assert!(inked > 0.002, "{name}: tenth {tenth} of the page is blank");
        }
    }
}

/// From the rendered page a reader can tell which reason skipped the most
/// contacts, which sender hit the daily limit on which day, and what
/// happened to one contact.
fn answers_the_three_questions(dom: &str) {
    let records = example_records();
    // The reason that skipped the most contacts heads the skips' table.
    let mut contacts: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.decision == Decision::Skip) {
        contacts
            .entry(r.reason.unwrap().as_str().to_owned())
            .or_default()
            .insert(r.contact.clone().unwrap_or_default());
    }
    let most = contacts.values().map(|c| c.len()).max().unwrap();
    let leaders: Vec<&String> = contacts
        .iter()
        .filter(|(_, c)| c.len() == most)
        .map(|(r, _)| r)
        .collect();
    assert_eq!(leaders.len(), 1, "the example has one leading skip reason");
    let first = &dom[dom.find("data-skip-contacts=\"").unwrap() + 20..];
    assert!(
        first.starts_with(&format!("{}\">{most}<", leaders[0])),
        "the first skip reason is {} with {most} contacts: {}",
        leaders[0],
        &first[..60.min(first.len())]
    );
    // Every sender and local day with a deferral or a limit skip is listed
    // under "Days at the limit".
    let tz: chrono_tz::Tz = "Europe/Warsaw".parse().unwrap();
    let mut limit_days = std::collections::BTreeSet::new();
    for r in &records {
        if r.decision == Decision::EmailDeferred
            || r.reason.is_some_and(|x| x.as_str() == "daily_send_limit")
        {
            let day = r.at.with_timezone(&tz).date_naive();
            limit_days.insert(format!("{} {day}", r.sender.clone().unwrap()));
        }
    }
    assert!(!limit_days.is_empty(), "the example hits a daily limit");
    for day in &limit_days {
        assert!(
            dom.contains(&format!("data-limit-day=\"{day}\"")),
            "the page lists {day} at the limit"
        );
    }
    // One contact's story: its timeline names each of its skips' reasons.
    let timeline = &dom[dom.find("Timeline of c-1").unwrap()..];
    let c1_skips: Vec<&str> = records
        .iter()
        .filter(|r| r.contact.as_deref() == Some("c-1") && r.decision == Decision::Skip)
        .map(|r| r.reason.unwrap().as_str())
        .collect();
    assert!(!c1_skips.is_empty(), "c-1 has a skip to explain");
    for reason in c1_skips {
        assert!(
            timeline.contains(&format!("<td>{reason}</td>")),
            "c-1's timeline says why it was skipped: {reason}"
        );
    }
}

/// A decoded screenshot.
struct Image {
    width: u32,
    height: u32,
    channels: usize,
    pixels: Vec<u8>,
}

impl Image {
    fn read(path: &Path) -> Image {
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        Image {
            width: info.width,
            height: info.height,
            channels: info.color_type.samples(),
            pixels: buf,
        }
    }

    fn count(&self, pick: impl Fn(&[u8]) -> bool) -> usize {
        self.pixels
            .chunks(self.channels)
            .filter(|p| pick(p))
            .count()
    }

    fn share(&self, pick: impl Fn(&[u8]) -> bool) -> f64 {
        self.count(pick) as f64 / f64::from(self.width * self.height)
    }

    fn row(&self, y: u32) -> &[u8] {
        let len = self.width as usize * self.channels;
        &self.pixels[y as usize * len..(y as usize + 1) * len]
    }

    fn rows_share(&self, rows: std::ops::Range<u32>, pick: impl Fn(&[u8]) -> bool) -> f64 {
        let n = rows.len() as f64 * f64::from(self.width);
        let inked: usize = rows
            .map(|y| {
                self.row(y)
                    .chunks(self.channels)
                    .filter(|p| pick(p))
                    .count()
            })
            .sum();
        inked as f64 / n
    }

    fn last_inked_row(&self) -> u32 {
        (0..self.height)
            .rev()
            .find(|&y| {
                self.row(y)
                    .chunks(self.channels)
                    .any(|p| p.iter().take(3).any(|&v| v < 200))
            })
            .unwrap_or(0)
    }
}
