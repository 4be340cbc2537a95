// Unit tests of extension.js with node's test runner: `node --test test/extension.test.js`.
// VS Code and vscode-languageclient are replaced by recording stand-ins, so these tests check
// what the extension asks for (which command, which arguments, when it restarts), not the
// protocol itself.
'use strict';

const assert = require('node:assert/strict');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { test, beforeEach } = require('node:test');

const manifest = require('../package.json');

const WORKSPACE = path.resolve(os.tmpdir(), 'bpo-workspace');
const State = { Stopped: 1, Running: 2, Starting: 3 };

let world;

function freshWorld() {
  return {
    settings: {},
    clients: [],
    commands: {},
    errors: [],
    executed: [],
    configListeners: [],
    failStart: null,
  };
}

class FakeLanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, state: State.Stopped, stopped: false });
    world.clients.push(this);
  }

  async start() {
    if (world.failStart) {
      throw new Error(world.failStart);
    }
    this.state = State.Running;
  }

  async stop() {
    this.state = State.Stopped;
    this.stopped = true;
  }
}

const fakeVscode = {
  workspace: {
    get workspaceFolders() {
      return [{ uri: { scheme: 'file', fsPath: WORKSPACE } }];
    },
    getConfiguration: (section) => ({ get: (key) => world.settings[`${section}.${key}`] }),
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
    onDidChangeConfiguration: (listener) => {
      world.configListeners.push(listener);
      return { dispose() {} };
    },
  },
  window: {
    createOutputChannel: (name, options) => ({ name, options, dispose() {} }),
    showErrorMessage: async (message, ...items) => {
      world.errors.push({ message, items });
      return undefined;
    },
  },
  commands: {
    registerCommand: (name, callback) => {
      world.commands[name] = callback;
      return { dispose() {} };
    },
    executeCommand: async (...args) => {
      world.executed.push(args);
    },
  },
};

const stubs = {
  vscode: fakeVscode,
  'vscode-languageclient/node': { LanguageClient: FakeLanguageClient, State },
};
const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  return Object.prototype.hasOwnProperty.call(stubs, request) ? stubs[request] : originalLoad.call(this, request, ...rest);
};

function loadExtension() {
  delete require.cache[require.resolve('../extension.js')];
  return require('../extension.js');
}

async function activate() {
  const extension = loadExtension();
  const context = { subscriptions: [] };
  await extension.activate(context);
  return { extension, context };
}

beforeEach(() => {
  world = freshWorld();
});

test('starts `bpo lsp` over stdio for .bpo documents, from the workspace', async () => {
  await activate();
  assert.equal(world.clients.length, 1);
  const client = world.clients[0];
  assert.equal(client.id, 'bpolang'); // so `bpolang.trace.server` applies
  assert.deepEqual(client.serverOptions.command, 'bpo');
  assert.deepEqual(client.serverOptions.args, ['lsp']);
  assert.equal(client.serverOptions.transport, undefined); // stdio, the default
  assert.equal(client.serverOptions.options.cwd, WORKSPACE);
  assert.deepEqual(
    client.clientOptions.documentSelector.map((s) => s.language),
    ['bpo', 'bpo'],
  );
  assert.equal(client.state, State.Running);
  assert.match(client.clientOptions.synchronize.fileEvents.glob, /pyproject\.toml/);
});

test('the documents it serves are those of the contributed language', () => {
  const ids = manifest.contributes.languages.map((l) => l.id);
  assert.deepEqual(ids, ['bpo']);
  assert.ok(manifest.activationEvents.includes('onLanguage:bpo'));
});

for (const [setting, expected] of [
  ['/opt/bpo/bin/bpo', '/opt/bpo/bin/bpo'],
  ['${workspaceFolder}/.venv/bin/bpo', path.join(WORKSPACE, '.venv/bin/bpo')],
  ['.venv/bin/bpo', path.join(WORKSPACE, '.venv/bin/bpo')],
  ['~/bin/bpo', path.join(os.homedir(), 'bin/bpo')],
  ['  bpo  ', 'bpo'],
  ['', 'bpo'],
]) {
  test(`bpolang.path ${JSON.stringify(setting)} runs ${expected}`, async () => {
    world.settings['bpolang.path'] = setting;
    await activate();
    assert.equal(world.clients[0].serverOptions.command, expected);
    assert.deepEqual(world.clients[0].serverOptions.args, ['lsp']);
  });
}

test('the path setting is the one package.json contributes', () => {
  const properties = manifest.contributes.configuration.properties;
  assert.equal(properties['bpolang.path'].default, 'bpo');
  assert.ok(properties['bpolang.trace.server']);
});

test('changing bpolang.path restarts the server with the new executable', async () => {
  await activate();
  world.settings['bpolang.path'] = '/opt/other/bpo';
  await Promise.all(world.configListeners.map((l) => l({ affectsConfiguration: (s) => s === 'bpolang.path' })));
  assert.equal(world.clients.length, 2);
  assert.ok(world.clients[0].stopped);
  assert.equal(world.clients[1].serverOptions.command, '/opt/other/bpo');
  assert.equal(world.clients[1].state, State.Running);
});

test('other settings do not restart it', async () => {
  await activate();
  await Promise.all(world.configListeners.map((l) => l({ affectsConfiguration: (s) => s === 'editor.tabSize' })));
  assert.equal(world.clients.length, 1);
  assert.ok(!world.clients[0].stopped);
});

test('the restart command is registered and contributed', async () => {
  await activate();
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual(Object.keys(world.commands), contributed);
  await world.commands['bpolang.restartServer']();
  assert.equal(world.clients.length, 2);
  assert.ok(world.clients[0].stopped);
  assert.equal(world.clients[1].state, State.Running);
});

test('a missing executable is an error message, not a failed activation', async () => {
  world.failStart = 'spawn bpo ENOENT';
  await activate();
  assert.equal(world.errors.length, 1);
  assert.match(world.errors[0].message, /spawn bpo ENOENT/);
  assert.match(world.errors[0].message, /bpolang\.path/);
  assert.match(world.errors[0].message, /pip install bpolang/);
});

test('deactivate stops the server', async () => {
  const { extension } = await activate();
  await extension.deactivate();
  assert.ok(world.clients[0].stopped);
});
