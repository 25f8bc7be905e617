//! The protocol's stdio transport: framed JSON-RPC messages
//! (`Content-Length` headers) read on a thread of their own with
//! `lsp-server`'s reader, and written by the server's own thread — a
//! message, or a body already serialized, so that a large notification
//! goes from borrowed data to the output in one pass.
//!
//! Input ends at the end of the stream, after `exit`, or at the first
//! thing that is not the protocol; the reader's result says which.

use lsp_server::Message;
use std::io::{self, Write};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

/// The messages from the client, with one looked at ahead, so that the
/// server can ask whether more are already waiting.
pub struct Incoming {
    receiver: Receiver<Message>,
    ahead: Option<Message>,
}

impl Incoming {
    /// Messages taken from `receiver`.
    pub fn new(receiver: Receiver<Message>) -> Self {
        Incoming {
            receiver,
            ahead: None,
        }
    }

    /// The next message; `None` once input has ended.
    pub fn next(&mut self) -> Option<Message> {
        self.ahead.take().or_else(|| self.receiver.recv().ok())
    }

    /// Whether no message is waiting (or input has ended).
    pub fn is_idle(&mut self) -> bool {
        if self.ahead.is_none() {
            match self.receiver.try_recv() {
                Ok(message) => self.ahead = Some(message),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => {}
            }
        }
        self.ahead.is_none()
    }
}

/// Reads standard input on a thread until its end, `exit`, or a stream
/// that is not the protocol (the thread's error).
pub fn read_stdin() -> (Receiver<Message>, JoinHandle<io::Result<()>>) {
    let (sender, receiver) = channel();
    let reader = std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        while let Some(message) = Message::read(&mut stdin)? {
            let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
            if sender.send(message).is_err() || is_exit {
                break;
            }
        }
        Ok(())
    });
    (receiver, reader)
}

/// Writes `message` framed.
pub fn write_message(out: &mut dyn Write, message: Message) -> io::Result<()> {
    message.write(&mut &mut *out)
}

/// Writes a serialized message body framed.
pub fn write_body(out: &mut dyn Write, body: &[u8]) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(body)?;
    out.flush()
}
