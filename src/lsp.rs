//! `wf lsp`: a language server on standard input and output, built on
//! `lsp-server` (the transport and JSON-RPC framing) and `lsp-types` (the
//! protocol's types). See `docs/editors.md`.
//!
//! The server keeps the open documents (`document.rs`) and the account
//! found through the nearest `wf.toml` (`workspace.rs`); `features.rs`
//! answers each request. Diagnostics are published after an open or a
//! change, once the messages that arrived meanwhile are handled: a burst
//! of keystrokes is checked once, on its last text. A changed account file
//! is reloaded and every open document checked again. A malformed request
//! is answered with an error; nothing a client sends stops the server
//! except `shutdown` and `exit`.

mod document;
mod features;
mod workspace;

use document::Document;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use std::collections::BTreeMap;
use workspace::Knowledge;

/// Runs the server on standard input and output until the client exits;
/// the exit code is 0 after a clean shutdown.
pub fn run_stdio() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(()) => 0,
        Err(e) => {
            crate::cli::to_stderr(format_args!("error: {e}\n"));
            1
        }
    };
    drop(connection);
    match io_threads.join() {
        // A stream that is not the protocol (bad framing, not JSON) ends
        // the session with a message, not a panic.
        Err(e) if code == 0 => {
            crate::cli::to_stderr(format_args!("error: {e}\n"));
            1
        }
        _ => code,
    }
}

/// The server's state: open documents by URI and the account.
struct Server<'a> {
    connection: &'a Connection,
    documents: BTreeMap<String, Document>,
    knowledge: Knowledge,
    /// The last reason for account features being off told to the user,
    /// so that it is said once, and again only when it changes.
    said: Option<String>,
}

/// Serves one client on `connection`: the initialize handshake, then
/// messages until `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let capabilities = lsp::ServerCapabilities {
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
    };
    let caps = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    let params = connection.initialize(caps).map_err(|e| e.to_string())?;
    let root = root_dir(&params);
    let mut server = Server {
        connection,
        documents: BTreeMap::new(),
        knowledge: Knowledge::discover(&root),
        said: None,
    };
    server.say_why_off();
    for message in &connection.receiver {
        if server.knowledge.refresh() {
            server.account_changed();
        }
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request).unwrap_or(true) {
                    return Ok(());
                }
                server.request(request);
            }
            Message::Notification(note) => server.notification(note),
            Message::Response(_) => {}
        }
        if connection.receiver.is_empty() {
            server.publish_unchecked();
        }
    }
    Ok(())
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
    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
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
        let diagnostics = features::diagnostics(doc, &self.knowledge);
        let Ok(uri) = uri.parse::<lsp::Uri>() else {
            return;
        };
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        let note = Notification::new(
            lsp::notification::PublishDiagnostics::METHOD.to_owned(),
            &params,
        );
        doc.checked = Some(params.diagnostics);
        self.send(Message::Notification(note));
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
        let response = match self.answer(request) {
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
