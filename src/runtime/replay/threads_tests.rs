//! Tests of the two helper threads of a replay: reading events ahead
//! ([`ReadAhead`]) and writing the trace ([`TraceWriter`]). Each must give
//! exactly what the single-threaded path gives.

use super::jsonl::push_jsonl_ref;
use super::reader::{EventReader, ReadAhead};
use super::writer::TraceWriter;
use crate::runtime::Sink;
use crate::runtime::engine::record::{Decision, Name, Reason, RecordRef};
use chrono::{DateTime, TimeZone, Utc};
use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

/// Event lines of every kind the reader reports: good ones, blank ones,
/// malformed ones, one out of order.
fn event_lines(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        let line = match i % 7 {
            0 => String::new(),
            1 => "{not json".to_owned(),
            2 => r#"{"at": "2026-03-02T08:00:00Z", "type": "nope"}"#.to_owned(),
            3 if i % 5 == 0 => r#"{"at": "2020-01-01T00:00:00Z", "type": "form_submitted", "contact": "c-1", "form": "f"}"#.to_owned(),
            _ => format!(
                r#"{{"at": "2026-03-02T{:02}:{:02}:{:02}Z", "type": "form_submitted", "contact": "c-{i}", "form": "f{}"}}"#,
                8 + i / 3600 % 12,
                i / 60 % 60,
                i % 60,
                i % 13
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    text
}

#[test]
fn read_ahead_yields_what_the_reader_yields() {
    let text = event_lines(5000);
    let mut direct = Vec::new();
    let mut lines = EventReader::new(text.as_bytes(), true);
    while let Some(parsed) = lines.next() {
        direct.push((parsed, lines.text().to_owned()));
    }
    assert!(direct.len() > 4000);
    assert!(direct.iter().any(|((_, r), _)| r.is_err()));
    // Batch by batch, handing each back for reuse: the same lines, with
    // the same text.
    let mut reader = ReadAhead::new(io::Cursor::new(text.into_bytes()), true);
    let mut batched = Vec::new();
    while let Some(batch) = reader.next_batch() {
        assert!(!batch.is_empty());
        batched.extend(
            batch
                .iter()
                .map(|l| ((l.number, l.parsed.clone()), l.text.to_owned())),
        );
        reader.recycle(batch);
    }
    assert_eq!(batched, direct);
    // After the end, the end again.
    assert!(reader.next_batch().is_none());
}

/// An input that counts the bytes read from it and says when it is
/// dropped (when the reading thread that owns it ends).
struct Watched {
    inner: io::Cursor<Vec<u8>>,
    read: Arc<Mutex<usize>>,
    dropped: Sender<()>,
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        *self.read.lock().unwrap() += n;
        Ok(n)
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let _ = self.dropped.send(());
    }
}

#[test]
fn read_ahead_stops_when_the_consumer_does() {
    let text = event_lines(200_000);
    let total = text.len();
    let read = Arc::new(Mutex::new(0));
    let (dropped, ended) = channel();
    let input = Watched {
        inner: io::Cursor::new(text.into_bytes()),
        read: Arc::clone(&read),
        dropped,
    };
    let mut reader = ReadAhead::new(input, false);
    let first = reader.next_batch().unwrap();
    let lines: Vec<usize> = first.iter().take(3).map(|l| l.number).collect();
    assert_eq!(lines, vec![2, 3, 4]);
    // Dropping the reader mid-stream stops its thread and waits for it:
    // the input (and every buffer the thread held) is gone when the drop
    // returns, and only the few batches it may hold ahead were read.
    drop(reader);
    assert!(
        ended.try_recv().is_ok(),
        "the reading thread outlived its reader"
    );
    let read = *read.lock().unwrap();
    assert!(read < total / 2, "read {read} of {total} bytes");
}

#[test]
fn read_ahead_dropped_at_once_leaves_no_thread() {
    // Dropped before its first batch is taken, with a stream longer than
    // the batches it may hold ahead, many times over: each time the
    // thread has ended, and dropped its input, by the time the drop
    // returns.
    let text = event_lines(20_000).into_bytes();
    for _ in 0..20 {
        let (dropped, ended) = channel();
        let input = Watched {
            inner: io::Cursor::new(text.clone()),
            read: Arc::new(Mutex::new(0)),
            dropped,
        };
        drop(ReadAhead::new(input, true));
        assert!(
            ended.try_recv().is_ok(),
            "the reading thread outlived its reader"
        );
    }
}

#[test]
fn read_ahead_dropped_on_a_waiting_live_stream_returns() {
    // A live stream with no next line: its read cannot be stopped, so the
    // drop gives up waiting after a short while instead of waiting for a
    // line that may never come; the thread ends when the stream does.
    let (tx, rx): (Sender<Vec<u8>>, _) = channel();
    let (dropped, ended) = channel::<()>();
    struct Owned(Live, Sender<()>);
    impl Read for Owned {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0.read(buf)
        }
    }
    impl Drop for Owned {
        fn drop(&mut self) {
            let _ = self.1.send(());
        }
    }
    let mut events = ReadAhead::new(Owned(Live(rx, Vec::new()), dropped), true);
    let line = r#"{"at": "2026-03-02T08:00:01Z", "type": "meeting_booked", "contact": "c"}"#;
    tx.send(format!("{line}\n").into_bytes()).unwrap();
    assert_eq!(events.next_batch().map(|b| b.len()), Some(1));
    let started = std::time::Instant::now();
    drop(events);
    let waited = started.elapsed();
    assert!(
        waited < std::time::Duration::from_secs(30),
        "waited {waited:?}"
    );
    assert!(
        ended.try_recv().is_err(),
        "the blocked read was not waited out"
    );
    drop(tx);
    ended
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the reading thread did not end with its stream");
}

/// A stream that hands out chunks as they are sent, blocking in between,
/// as a pipe from a live producer does.
struct Live(Receiver<Vec<u8>>, Vec<u8>);

impl Read for Live {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.1.is_empty() {
            match self.0.recv() {
                Ok(chunk) => self.1 = chunk,
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.1.len());
        buf[..n].copy_from_slice(&self.1[..n]);
        self.1.drain(..n);
        Ok(n)
    }
}

#[test]
fn read_ahead_runs_a_live_stream_line_by_line() {
    let (tx, rx): (Sender<Vec<u8>>, _) = channel();
    let mut events = ReadAhead::new(Live(rx, Vec::new()), true);
    let mut next = || {
        let batch = events.next_batch()?;
        // One line per batch: the reader sent each as soon as it had it.
        assert_eq!(batch.len(), 1);
        batch.iter().next().map(|l| (l.number, l.parsed.clone()))
    };
    let line = |n: u32| {
        format!(r#"{{"at": "2026-03-02T08:00:0{n}Z", "type": "meeting_booked", "contact": "c"}}"#)
            + "\n"
    };
    tx.send(line(1).into_bytes()).unwrap();
    // The first line comes through while the stream is still open: the
    // reader does not wait for a full batch.
    assert_eq!(next().map(|(l, e)| (l, e.is_ok())), Some((1, true)));
    tx.send(line(2).into_bytes()).unwrap();
    assert_eq!(next().map(|(l, e)| (l, e.is_ok())), Some((2, true)));
    drop(tx);
    assert!(next().is_none());
}

/// A writer into shared memory, failing with `fail` after `limit` bytes.
#[derive(Clone)]
struct Shared {
    bytes: Arc<Mutex<Vec<u8>>>,
    limit: usize,
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = self.bytes.lock().unwrap();
        if bytes.len() + buf.len() > self.limit {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
        }
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn time(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_772_438_400 + secs, 0).unwrap()
}

/// The strings of [`with_records`]: they need escapes.
const NAMES: [&str; 6] = [
    "c-1",
    "quote \" and \\ back",
    "tab\there",
    "zażółć",
    "ctrl \u{1}",
    "",
];

/// A writer's table of names: the first four of [`NAMES`], so that the
/// names of index 4 and 5 are not in it.
fn table() -> Vec<Box<str>> {
    NAMES.iter().take(4).map(|&n| n.into()).collect()
}

/// Records with every field set and unset, and strings that need escapes.
fn with_records(n: u64, mut each: impl FnMut(&RecordRef<'_>)) {
    for i in 0..n {
        let pick = |k: u64| NAMES.get(((i + k) % 7) as usize).copied();
        // Names by index into `names` (some beyond a writer's table), or
        // without one.
        let name = |k: u64| {
            let ix = crate::runtime::engine::names::NameId::for_test(((i + k) % 7) as usize);
            let text = pick(k)?;
            Some(match (i + k) % 3 {
                0 => Name::new(text),
                _ => Name::interned(text, ix),
            })
        };
        let r = RecordRef {
            seq: i + 1,
            at: time((i / 3) as i64),
            decision: [Decision::Enroll, Decision::Skip, Decision::EmailDeferred][(i % 3) as usize],
            contact: pick(0),
            sequence: name(1),
            sender: name(2),
            via: name(3),
            reason: (i % 2 == 0).then_some(Reason::AlreadyEnrolled),
            rule: name(4),
            workflow: name(5),
            event: (i % 5 != 0).then_some(i as usize),
            step: (i % 3 == 2).then_some(2),
            until: (i % 3 == 2).then(|| time(i as i64 + 60)),
            contact_index: None,
        };
        each(&r);
    }
}

#[test]
fn trace_writer_writes_the_bytes_of_the_direct_formatter() {
    let mut expected = Vec::new();
    with_records(10_000, |r| push_jsonl_ref(&mut expected, r));
    let shared = Shared {
        bytes: Arc::default(),
        limit: usize::MAX,
    };
    for mut writer in [
        TraceWriter::new(shared.clone()),
        TraceWriter::with_names(shared.clone(), table()),
        TraceWriter::here(shared.clone(), Vec::new()),
        TraceWriter::here(shared.clone(), table()),
    ] {
        shared.bytes.lock().unwrap().clear();
        with_records(10_000, |r| writer.record(r));
        assert!(!writer.failed());
        writer.finish().unwrap();
        assert!(*shared.bytes.lock().unwrap() == expected);
    }
}

#[test]
fn trace_writer_reports_a_failed_write() {
    for threaded in [true, false] {
        let shared = Shared {
            bytes: Arc::default(),
            limit: 100_000,
        };
        let mut writer = if threaded {
            TraceWriter::new(shared.clone())
        } else {
            TraceWriter::here(shared.clone(), table())
        };
        // Far more than the limit: the failure is seen before the end.
        with_records(200_000, |r| writer.record(r));
        assert!(writer.failed());
        let error = writer.finish().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
        // What was written is whole lines of the trace.
        let bytes = shared.bytes.lock().unwrap();
        assert!(bytes.len() <= 100_000);
        assert!(bytes.ends_with(b"\n"));
    }
}

/// A writer that passes each write on through a channel.
struct Passing(Sender<Vec<u8>>);

impl Write for Passing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = self.0.send(buf.to_vec());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn trace_writer_flush_writes_a_partial_batch_now() {
    let (tx, written) = channel();
    let mut writer = TraceWriter::new(Passing(tx));
    let mut expected = Vec::new();
    with_records(3, |r| {
        writer.record(r);
        push_jsonl_ref(&mut expected, r);
    });
    writer.flush();
    // Three records, far fewer than a batch, are written before `finish`
    // (the deadline only keeps a failure from hanging the test).
    let mut got = Vec::new();
    while got.len() < expected.len() {
        let bytes = written
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("flushed records were not written");
        got.extend(bytes);
    }
    assert_eq!(got, expected);
    writer.finish().unwrap();
}

/// The engine's names as the trace writer takes them by index agree with
/// their text, also for a send-from address that a `user_updated` event
/// changed after the writer copied the table: the writer writes what a
/// direct formatter writes, and the records name the new address.
#[test]
fn trace_writer_names_agree_with_the_engine_after_user_updates() {
    use crate::runtime::Engine;
    use crate::source::Sources;
    let account = crate::account::from_text(
        "account.json",
        r#"{"timezone": "UTC",
            "users": [{"email": "u@x.test", "seats": ["sales_enterprise"], "inboxes": ["u@x.test"]},
                      {"email": "v@x.test", "seats": ["sales_enterprise"]}],
            "sequences": [{"name": "S", "steps": [
                {"type": "email", "delay_days": 0, "body": "a"},
                {"type": "email", "delay_days": 1, "body": "b"}]}],
            "contacts": [{"id": "c1", "owner": "u@x.test"}, {"id": "c2", "owner": "v@x.test"}]}"#,
        false,
    )
    .unwrap();
    let text = "when form_submitted(\"f\") then enroll in \"S\" from owner\n";
    let mut sources = Sources::new();
    let id = sources.add("r.wf", text.to_owned());
    let program = crate::syntax::parse(id, text).unwrap();
    let events = [
        r#"{"at": "2026-03-02T08:00:00Z", "type": "user_updated", "user": "u@x.test", "inboxes": ["new@x.test"]}"#,
        r#"{"at": "2026-03-02T08:00:01Z", "type": "user_updated", "user": "v@x.test", "inboxes": ["first@x.test"]}"#,
        r#"{"at": "2026-03-02T09:00:00Z", "type": "form_submitted", "contact": "c1", "form": "f"}"#,
        r#"{"at": "2026-03-02T09:00:01Z", "type": "form_submitted", "contact": "c2", "form": "f"}"#,
    ];
    let text = events.join("\n");
    let replay = |sink: &mut dyn super::LiveSink, engine: &mut Engine| {
        let mut driver = super::Driver::new(engine, super::Options::default());
        driver.run_lines(text.as_bytes(), sink, &mut Err).unwrap();
        driver.finish(sink);
    };
    let mut direct: Vec<u8> = Vec::new();
    let mut engine = Engine::new(&account, &sources, &[(id, program.clone())]);
    engine.set_steps(true);
    replay(&mut direct, &mut engine);
    let shared = Shared {
        bytes: Arc::default(),
        limit: usize::MAX,
    };
    let mut engine = Engine::new(&account, &sources, &[(id, program)]);
    engine.set_steps(true);
    let mut writer = TraceWriter::for_engine(shared.clone(), &engine);
    replay(&mut writer, &mut engine);
    writer.finish().unwrap();
    let written = String::from_utf8(shared.bytes.lock().unwrap().clone()).unwrap();
    assert_eq!(written, String::from_utf8(direct).unwrap());
    // enroll, email_sent, email_sent, finish for each contact.
    assert_eq!(written.lines().count(), 8);
    for line in written.lines() {
        let via = if line.contains("\"c1\"") {
            "\"via\":\"new@x.test\""
        } else {
            "\"via\":\"first@x.test\""
        };
        assert!(line.contains(via), "{line}");
    }
}

#[test]
fn an_endless_event_line_stops_at_the_limit() {
    use super::reader::MAX_LINE_BYTES;
    // An endless stream without a line break (`/dev/zero`): one error at
    // the limit, then the end, instead of reading until memory runs out.
    let mut lines = EventReader::new(io::BufReader::new(io::repeat(b' ')), false);
    let (number, parsed) = lines.next().expect("a line");
    assert_eq!(number, 1);
    let message = parsed.expect_err("too long").message;
    assert!(message.starts_with("line is too long"), "{message}");
    assert!(lines.next().is_none());
    // A line just at the limit is read (and judged as an event), and so
    // is the line after it.
    let mut text = "x".repeat(MAX_LINE_BYTES - 1);
    text.push('\n');
    text.push_str("{not json\n");
    let mut lines = EventReader::new(text.as_bytes(), false);
    for expected in [1, 2] {
        let (number, parsed) = lines.next().expect("a line");
        assert_eq!(number, expected);
        let message = parsed.expect_err("malformed").message;
        assert!(!message.contains("too long"), "{message}");
    }
    assert!(lines.next().is_none());
}
