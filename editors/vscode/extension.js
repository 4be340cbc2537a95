// The bpolang extension: starts `bpo lsp` (the language server of the bpolang Python package)
// over stdio for .bpo files. Plain JavaScript, loaded by VS Code as it is: no build step.
'use strict';

const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');

const SECTION = 'bpolang';
let client;
let output;

// The `bpolang.path` setting as a command: `~` and `${workspaceFolder}` expanded, a relative path
// taken from the first workspace folder; a bare name (the default `bpo`) is looked up on PATH.
function serverCommand() {
  let command = (vscode.workspace.getConfiguration(SECTION).get('path') || 'bpo').trim() || 'bpo';
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (folder && folder.uri.scheme === 'file') {
    command = command.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  }
  if (command === '~' || command.startsWith('~/') || command.startsWith('~\\')) {
    command = path.join(os.homedir(), command.slice(1));
  }
  const hasSeparator = command.includes('/') || command.includes('\\');
  if (hasSeparator && !path.isAbsolute(command) && folder && folder.uri.scheme === 'file') {
    command = path.resolve(folder.uri.fsPath, command);
  }
  return command;
}

async function start() {
  const command = serverCommand();
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const serverOptions = {
    command,
    args: ['lsp'],
    // run from the workspace, where bpo finds pyproject.toml or bpolang.toml
    options: folder && folder.uri.scheme === 'file' ? { cwd: folder.uri.fsPath } : {},
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'bpo' },
      { scheme: 'untitled', language: 'bpo' },
    ],
    outputChannel: output,
    synchronize: {
      // the rule configuration lives in these files: tell the server when they change
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{pyproject.toml,bpolang.toml}'),
    },
  };
  client = new LanguageClient(SECTION, 'bpolang', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    const reason = err && err.message ? err.message : String(err);
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      `bpolang: could not start \`${command} lsp\` (${reason}). Install bpolang (pip install bpolang) ` +
        'or set "bpolang.path" to the bpo executable.',
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
    }
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    await running.stop();
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  output = vscode.window.createOutputChannel('bpolang', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(`${SECTION}.restartServer`, restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.path`)) {
        return restart();
      }
      return undefined;
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
