//! A client of `wf lsp` over its real transport, shared by the tests and
//! the `lsp` bench (which includes this file by its path): it starts a
//! `wf` binary on pipes, writes framed JSON-RPC messages, and reads the
//! server's on a thread, each stamped when its last byte arrived.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A message from the server, as read.
pub struct Received {
    /// When its last byte was read.
    pub at: Instant,
    /// Its body: JSON text.
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// Its `id` and `method`, the rest skipped unparsed.
    pub fn head(&self) -> (Value, Option<String>) {
        #[derive(serde::Deserialize)]
        struct Head {
            #[serde(default)]
            id: Value,
            method: Option<String>,
        }
        let head: Head = serde_json::from_slice(&self.body).unwrap();
        (head.id, head.method)
    }
}

/// A running `wf lsp` and the messages it sent.
pub struct Client {
    pub child: Child,
    stdin: ChildStdin,
    messages: Receiver<Received>,
    last_id: i64,
    /// The messages passed over while waiting for others.
    pub passed_over: Vec<Value>,
}

impl Client {
    /// Starts `bin lsp` in `dir`.
    pub fn start(bin: &str, dir: &Path, stderr: Stdio) -> Client {
        let mut child = Command::new(bin)
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let messages = read_messages(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            messages,
            last_id: 0,
            passed_over: Vec::new(),
        }
    }

    /// Writes `body` framed, whatever it is.
    pub fn raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.raw(&json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string());
    }

    /// Sends a request with the next id, and gives the id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.last_id += 1;
        let id = self.last_id;
        self.raw(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
        );
        id
    }

    /// Sends a request and waits for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait(|m| m["id"] == json!(id))
    }

    /// The next message from the server.
    pub fn next(&mut self) -> Received {
        self.messages
            .recv_timeout(Duration::from_secs(120))
            .expect("the server answers")
    }

    /// The next message that satisfies `wanted`; the others are kept in
    /// `passed_over`.
    pub fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self.next().json();
            if wanted(&m) {
                return m;
            }
            self.passed_over.push(m);
        }
    }

    /// The next notification `method`, unparsed; the messages before it
    /// are dropped.
    pub fn wait_for(&mut self, method: &str) -> Received {
        loop {
            let m = self.next();
            if m.head().1.as_deref() == Some(method) {
                return m;
            }
        }
    }

    /// The response to request `id`, unparsed; the messages before it
    /// are dropped.
    pub fn wait_response(&mut self, id: i64) -> Received {
        loop {
            let m = self.next();
            if m.head().0 == json!(id) {
                return m;
            }
        }
    }

    /// The diagnostics of the next `publishDiagnostics`.
    pub fn diagnostics(&mut self) -> Vec<Value> {
        let m = self.wait(|m| m["method"] == "textDocument/publishDiagnostics");
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// `initialize` with the folder `root_uri` as the client's, then
    /// `initialized`; gives the response.
    pub fn initialize(&mut self, root_uri: &str) -> Value {
        let r = self.request(
            "initialize",
            json!({"capabilities": {}, "rootUri": root_uri}),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// `shutdown`, then `exit`; gives the exit code.
    pub fn finish(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code()
    }

    /// Closes the server's input without a word; gives the exit code.
    pub fn hang_up(self) -> Option<i32> {
        let Client {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        child.wait().unwrap().code()
    }
}

fn read_messages(stdout: impl Read + Send + 'static) -> Receiver<Received> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(1 << 20, stdout);
        loop {
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let m = Received {
                at: Instant::now(),
                body,
            };
            if tx.send(m).is_err() {
                return;
            }
        }
    });
    rx
}
