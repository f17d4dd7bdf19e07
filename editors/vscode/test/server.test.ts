// Unit tests of the server lookup (src/server.ts), which needs no VS Code: npm test.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { BINARY_NAME, expandHome, resolveServer } from '../src/server';

let dir: string;
let savedPath: string | undefined;

function executable(file: string, mode = 0o755): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n', { mode });
  fs.chmodSync(file, mode);
  return file;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-ls-resolve-'));
  savedPath = process.env.PATH;
  process.env.PATH = path.join(dir, 'empty-path');
});
afterEach(() => {
  process.env.PATH = savedPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the setting wins over the bundled binary and PATH', () => {
  const ext = path.join(dir, 'ext');
  executable(path.join(ext, 'server', BINARY_NAME));
  executable(path.join(dir, 'bin', BINARY_NAME));
  process.env.PATH = path.join(dir, 'bin');
  const mine = executable(path.join(dir, 'mine', 'dls'));
  const r = resolveServer(mine, ext);
  assert.equal(r.ok, true);
  assert.ok(r.ok && r.source === 'setting' && r.path === mine);
});

test('a broken setting is reported, without falling back to another binary', () => {
  const ext = path.join(dir, 'ext');
  executable(path.join(ext, 'server', BINARY_NAME));
  const r = resolveServer(path.join(dir, 'missing'), ext);
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.fromSetting);
  assert.match(!r.ok ? r.message : '', /dockerfile-ls\.server\.path.*missing.*does not exist/);
});

test('a file that is not executable is reported as such', () => {
  const file = executable(path.join(dir, 'dls'), 0o644);
  const r = resolveServer(file, path.join(dir, 'ext'));
  assert.match(!r.ok ? r.message : '', /not executable/);
});

test('without a setting the bundled binary comes first, then PATH', () => {
  const ext = path.join(dir, 'ext');
  executable(path.join(dir, 'bin', BINARY_NAME));
  process.env.PATH = path.join(dir, 'bin');
  const onPath = resolveServer(null, ext);
  assert.ok(onPath.ok && onPath.source === 'PATH' && onPath.path === path.join(dir, 'bin', BINARY_NAME));
  executable(path.join(ext, 'server', BINARY_NAME));
  const bundled = resolveServer('  ', ext);
  assert.ok(bundled.ok && bundled.source === 'bundled');
});

test('when nothing is found the message says how to fix it and lists what was tried', () => {
  const r = resolveServer(undefined, path.join(dir, 'ext'));
  assert.equal(r.ok, false);
  assert.ok(!r.ok && !r.fromSetting);
  assert.match(!r.ok ? r.message : '', /PATH.*cargo install.*dockerfile-ls\.server\.path/s);
  assert.equal(r.tried.length, 2);
});

test('~ expands to the home folder', () => {
  assert.equal(expandHome('~'), os.homedir());
  assert.equal(expandHome('~/bin/dls'), path.join(os.homedir(), 'bin', 'dls'));
  assert.equal(expandHome('/abs/~/x'), '/abs/~/x');
});
