// The client half of editor support: starts `wf lsp` (the program named
// by the `wf.path` setting) for `.wf` files and restarts it when the
// setting changes. Everything else — diagnostics, completion, hover,
// definitions, symbols, formatting, quick fixes — comes from the server.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration("wf").get("path") || "wf";
  return { command, args: ["lsp"] };
}

function clientOptions() {
  return {
    documentSelector: [{ scheme: "file", language: "wf" }],
    // The server also compares the account file with what it read before
    // each message; these events only make a reload prompt.
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{wf.toml,*.json,*.toml}"),
    },
  };
}

async function start() {
  client = new LanguageClient("wf", "wf", serverOptions(), clientOptions());
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("wf.path")) {
        if (client) {
          await client.stop();
        }
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
