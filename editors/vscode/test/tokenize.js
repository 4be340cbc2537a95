#!/usr/bin/env node
// Tokenise .bpo files with the extension's TextMate grammar, as VS Code does
// (vscode-textmate with the Oniguruma regex engine), and print the tokens as JSON.
//
//   node test/tokenize.js FILE...   one entry per file
//   node test/tokenize.js -         the text read from standard input
//
// Output: {"files": [{"path": ..., "lines": [[{"start", "end", "text", "scopes"}, ...], ...]}]}
// with one list of tokens per line (lines split on CRLF, CR or LF, as an editor does);
// start and end count code points from the start of the line, as Python does, not the
// UTF-16 units of JavaScript strings.
// Exit status 2, with the reason on standard error, when the grammar cannot be loaded.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'bpo.tmLanguage.json');
const SCOPE = 'source.bpo';

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === SCOPE ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
  });
  const grammar = await registry.loadGrammar(SCOPE);
  if (!grammar) {
    throw new Error(`no grammar for ${SCOPE} in ${GRAMMAR}`);
  }
  return grammar;
}

// UTF-16 index -> code point index for one line (they differ after a character outside the BMP).
function codePoints(line) {
  if (!/[\uD800-\uDFFF]/.test(line)) {
    return (i) => i;
  }
  const map = new Array(line.length + 1);
  let cp = 0;
  for (let i = 0; i < line.length; i++) {
    map[i] = cp;
    const c = line.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < line.length && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      map[i + 1] = cp;
      i++;
    }
    cp++;
  }
  map[line.length] = cp;
  return (i) => map[i];
}

function tokenize(grammar, text) {
  let state = vsctm.INITIAL;
  return text.split(/\r\n|\r|\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    if (result.stoppedEarly) {
      throw new Error(`tokenisation stopped early on line: ${line.slice(0, 80)}`);
    }
    state = result.ruleStack;
    const cp = codePoints(line);
    return result.tokens.map((t) => {
      // the last token of a line may end one past it (the line's implicit newline)
      const end = Math.min(t.endIndex, line.length);
      return { start: cp(t.startIndex), end: cp(end), text: line.slice(t.startIndex, end), scopes: t.scopes };
    });
  });
}

async function main(args) {
  if (args.length === 0) {
    process.stderr.write('usage: tokenize.js FILE... | -\n');
    return 2;
  }
  const grammar = await loadGrammar();
  const files = args.map((arg) => {
    const text = fs.readFileSync(arg === '-' ? 0 : arg, 'utf8');
    return { path: arg, lines: tokenize(grammar, text) };
  });
  process.stdout.write(JSON.stringify({ files }) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tokenize.js: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  },
);
