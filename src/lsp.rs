//! `wf lsp`: a language server on standard input and output, built on
//! `lsp-server` (its messages and their framing) and `lsp-types` (the
//! protocol's types). See `docs/editors.md`.
//!
//! The server keeps the open documents (`document.rs`) and the account
//! found through the nearest `wf.toml` (`workspace.rs`); `transport.rs`
//! reads and writes the messages, `diagnostics.rs` checks a document and
//! writes its diagnostics, `features.rs` answers the other requests.
//! Diagnostics are published after an open or a change, once the messages
//! that arrived meanwhile are handled: a burst of keystrokes is checked
//! once, on its last text. A changed account file is reloaded and every
//! open document checked again. A malformed request is answered with an
//! error; nothing a client sends stops the server except `exit` (or the
//! end of its input).

mod diagnostics;
mod document;
mod features;
mod transport;
mod workspace;

use document::Document;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use std::collections::BTreeMap;
use std::io::Write;
use transport::Incoming;
use workspace::Knowledge;

/// Runs the server on standard input and output until the client exits.
/// The exit code is 0 after `shutdown` then `exit`, and 1 after an `exit`
/// without `shutdown` — the protocol's rule; the end of input counts as
/// `exit`. A stream that is not the protocol, or output the client no
/// longer reads, ends the session with a message and code 1.
pub fn run_stdio() -> i32 {
    let (receiver, reader) = transport::read_stdin();
    let ended = serve(&mut Incoming::new(receiver), &mut std::io::stdout().lock());
    let failed = match ended {
        Ended::Exit { shut_down } => return exit_code(shut_down),
        Ended::Input { shut_down } => match reader.join() {
            Ok(Ok(())) => return exit_code(shut_down),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "the reader of standard input stopped".to_owned(),
        },
        Ended::Output(e) => e.to_string(),
    };
    crate::cli::to_stderr(format_args!("error: {failed}\n"));
    1
}

fn exit_code(shut_down: bool) -> i32 {
    if shut_down { 0 } else { 1 }
}

/// How a session ended.
enum Ended {
    /// The client sent `exit`; whether `shutdown` came first.
    Exit { shut_down: bool },
    /// The input ended without `exit`; whether `shutdown` came first.
    Input { shut_down: bool },
    /// Writing to the client failed.
    Output(std::io::Error),
}

/// The server's state: open documents by URI and the account.
struct Server<'a> {
    out: &'a mut dyn Write,
    /// The first failure to write to the client: the session ends.
    failed: Option<std::io::Error>,
    /// After `shutdown`, only `exit` (and another `shutdown`) is answered.
    shut_down: bool,
    documents: BTreeMap<String, Document>,
    knowledge: Knowledge,
    /// The last reason for account features being off told to the user,
    /// so that it is said once, and again only when it changes.
    said: Option<String>,
}

/// Serves one client: the initialize handshake, then messages until
/// `exit` or the end of input. Before `initialize`, requests are refused
/// and notifications other than `exit` ignored.
fn serve(incoming: &mut Incoming, out: &mut dyn Write) -> Ended {
    let root = loop {
        let Some(message) = incoming.next() else {
            return Ended::Input { shut_down: false };
        };
        match message {
            Message::Request(request) if request.method == lsp::request::Initialize::METHOD => {
                let result = lsp::InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(lsp::ServerInfo {
                        name: "wf".to_owned(),
                        version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                    }),
                };
                let response = Response::new_ok(request.id, result);
                if let Err(e) = transport::write_message(out, response.into()) {
                    return Ended::Output(e);
                }
                break root_dir(&request.params);
            }
            Message::Request(request) => {
                let response = Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized".to_owned(),
                );
                if let Err(e) = transport::write_message(out, response.into()) {
                    return Ended::Output(e);
                }
            }
            Message::Notification(note) if note.method == lsp::notification::Exit::METHOD => {
                return Ended::Exit { shut_down: false };
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    };
    let mut server = Server {
        out,
        failed: None,
        shut_down: false,
        documents: BTreeMap::new(),
        knowledge: Knowledge::discover(&root),
        said: None,
    };
    server.say_why_off();
    while let Some(message) = incoming.next() {
        if server.knowledge.refresh() {
            server.account_changed();
        }
        match message {
            Message::Request(request) => server.request(request),
            Message::Notification(note) if note.method == lsp::notification::Exit::METHOD => {
                return Ended::Exit {
                    shut_down: server.shut_down,
                };
            }
            Message::Notification(note) => server.notification(note),
            Message::Response(_) => {}
        }
        if !server.shut_down && incoming.is_idle() {
            server.publish_unchecked();
        }
        if let Some(e) = server.failed.take() {
            return Ended::Output(e);
        }
    }
    Ended::Input {
        shut_down: server.shut_down,
    }
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::INCREMENTAL,
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".to_owned(), "\"".to_owned()]),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// The folder to look for `wf.toml` from: the client's root, else the
/// current folder.
#[allow(deprecated)] // older clients (Neovim 0.7) send `rootUri` only
fn root_dir(params: &serde_json::Value) -> std::path::PathBuf {
    let from_uri = |v: Option<&serde_json::Value>| {
        v.and_then(serde_json::Value::as_str)
            .and_then(workspace::uri_path)
    };
    from_uri(
        params
            .get("workspaceFolders")
            .and_then(|f| f.get(0))
            .and_then(|f| f.get("uri")),
    )
    .or_else(|| from_uri(params.get("rootUri")))
    .unwrap_or_else(|| std::path::PathBuf::from("."))
}

impl Server<'_> {
    fn send(&mut self, message: Message) {
        if self.failed.is_none() {
            self.failed = transport::write_message(self.out, message).err();
        }
    }

    /// Says once, when account features are off, why (and again when the
    /// reason changes).
    fn say_why_off(&mut self) {
        let why = self.knowledge.why_off().map(str::to_owned);
        if why.is_some() && why != self.said {
            let params = lsp::ShowMessageParams {
                typ: lsp::MessageType::INFO,
                message: format!("wf: {}", why.as_deref().unwrap_or_default()),
            };
            self.send(Message::Notification(Notification::new(
                lsp::notification::ShowMessage::METHOD.to_owned(),
                params,
            )));
        }
        self.said = why;
    }

    /// After the account changed: every document is checked again.
    fn account_changed(&mut self) {
        self.say_why_off();
        for doc in self.documents.values_mut() {
            doc.checked = None;
        }
    }

    /// Checks and publishes every document changed since its last check.
    fn publish_unchecked(&mut self) {
        let unchecked: Vec<String> = self
            .documents
            .iter()
            .filter(|(_, doc)| doc.checked.is_none())
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in unchecked {
            self.publish(&uri);
        }
    }

    /// Checks a document and publishes its diagnostics.
    fn publish(&mut self, uri: &str) {
        let Some(doc) = self.documents.get_mut(uri) else {
            return;
        };
        let found = diagnostics::check(doc, &self.knowledge);
        if let Ok(body) = diagnostics::notification(uri, doc, &found)
            && self.failed.is_none()
        {
            self.failed = transport::write_body(self.out, &body).err();
        }
        doc.checked = Some(found);
    }

    /// When no `wf.toml` was found from the client's folder, looks again
    /// from the folder of an opened document.
    fn discover_from(&mut self, uri: &lsp::Uri) {
        if !self.knowledge.has_no_project() {
            return;
        }
        let Some(dir) = workspace::uri_path(uri.as_str())
            .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
        else {
            return;
        };
        let found = Knowledge::discover(&dir);
        if !found.has_no_project() {
            self.knowledge = found;
            self.account_changed();
        }
    }

    fn notification(&mut self, note: Notification) {
        use lsp::notification as n;
        match note.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(note.params)
                {
                    self.discover_from(&p.text_document.uri);
                    let uri = p.text_document.uri.as_str().to_owned();
                    self.documents
                        .insert(uri, Document::new(p.text_document.text));
                }
            }
            n::DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidChangeTextDocumentParams>(note.params)
                {
                    let uri = p.text_document.uri.as_str().to_owned();
                    if let Some(doc) = self.documents.get_mut(&uri) {
                        doc.apply(p.content_changes);
                    }
                }
            }
            n::DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidCloseTextDocumentParams>(note.params)
                {
                    // A closed document's diagnostics leave the editor.
                    if self
                        .documents
                        .remove(p.text_document.uri.as_str())
                        .is_some()
                    {
                        let params = lsp::PublishDiagnosticsParams {
                            uri: p.text_document.uri,
                            diagnostics: Vec::new(),
                            version: None,
                        };
                        self.send(Message::Notification(Notification::new(
                            lsp::notification::PublishDiagnostics::METHOD.to_owned(),
                            params,
                        )));
                    }
                }
            }
            // Saved and changed files need nothing more: the account file
            // is compared with what was read before every message.
            _ => {}
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let answer = if request.method == lsp::request::Shutdown::METHOD {
            // A repeated `shutdown` is answered like the first.
            self.shut_down = true;
            Ok(serde_json::Value::Null)
        } else if self.shut_down {
            Err((
                ErrorCode::InvalidRequest,
                "the server is shut down".to_owned(),
            ))
        } else {
            self.answer(request)
        };
        let response = match answer {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        use lsp::request as r;
        let bad = |e: serde_json::Error| (ErrorCode::InvalidParams, e.to_string());
        let value = |v: Result<serde_json::Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match request.method.as_str() {
            r::Completion::METHOD => {
                let p: lsp::CompletionParams =
                    serde_json::from_value(request.params).map_err(bad)?;
                let doc = self.doc(&p.text_document_position.text_document.uri)?;
                let items =
                    features::completion(doc, p.text_document_position.position, &self.knowledge);
                value(serde_json::to_value(items))
            }
            r::HoverRequest::METHOD => {
                let p: lsp::HoverParams = serde_json::from_value(request.params).map_err(bad)?;
                let uri = &p.text_document_position_params.text_document.uri;
                if self.doc(uri)?.checked.is_none() {
                    self.publish(uri.as_str());
                }
                let doc = self.doc(uri)?;
                let hover = features::hover(
                    doc,
                    p.text_document_position_params.position,
                    &self.knowledge,
                    doc.checked.as_deref().unwrap_or_default(),
                );
                value(serde_json::to_value(hover))
            }
            r::GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams =
                    serde_json::from_value(request.params).map_err(bad)?;
                let doc = self.doc(&p.text_document_position_params.text_document.uri)?;
                let at = features::definition(
                    doc,
                    p.text_document_position_params.position,
                    &self.knowledge,
                );
                value(serde_json::to_value(at))
            }
            r::DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams =
                    serde_json::from_value(request.params).map_err(bad)?;
                let doc = self.doc(&p.text_document.uri)?;
                value(serde_json::to_value(features::symbols(doc)))
            }
            r::Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams =
                    serde_json::from_value(request.params).map_err(bad)?;
                let doc = self.doc(&p.text_document.uri)?;
                value(serde_json::to_value(features::formatting(doc)))
            }
            r::CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams =
                    serde_json::from_value(request.params).map_err(bad)?;
                let doc = self.doc(&p.text_document.uri)?;
                let actions =
                    features::code_actions(doc, &p.text_document.uri, &p.context.diagnostics);
                value(serde_json::to_value(actions))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{other}`"),
            )),
        }
    }

    fn doc(&self, uri: &lsp::Uri) -> Result<&Document, (ErrorCode, String)> {
        self.documents.get(uri.as_str()).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("`{}` is not open", uri.as_str()),
            )
        })
    }
}

#[cfg(test)]
mod tests;
