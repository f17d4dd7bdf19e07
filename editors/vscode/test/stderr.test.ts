// Unit tests of reading levels off the server's stderr (src/stderr.ts): npm test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StderrLevels } from '../src/stderr';

test('each line is filed at the level the server logged it with', () => {
  const levels = new StderrLevels();
  const seen = [
    '2026-12-07T12:00:00.000001Z  INFO dockerfile_ls::lsp::handlers::initialize: initialize client=Some("Visual Studio Code")',
    '2026-12-07T12:00:00.000002Z  WARN dockerfile_ls::lsp::session: setting `dockerfile-ls.diagnostics.enable`: invalid type',
    '2026-12-07T12:00:00.000003Z ERROR dockerfile_ls: panic: boom',
    '   0: std::backtrace::Backtrace::capture',
    '2026-12-07T12:00:00.000004Z DEBUG dockerfile_ls::lsp: textDocument/hover close time.busy=1ms',
    '2026-12-07T12:00:00.000005Z TRACE tower_lsp_server: message',
  ].map((line) => levels.classify(line));
  assert.deepEqual(
    seen.map((s) => s.level),
    ['info', 'warn', 'error', 'error', 'debug', 'trace'],
  );
  assert.equal(seen[0].text, 'dockerfile_ls::lsp::handlers::initialize: initialize client=Some("Visual Studio Code")');
  assert.equal(seen[3].text, '   0: std::backtrace::Backtrace::capture');
});

test('a line that is not a log line, before any, is an error', () => {
  const levels = new StderrLevels();
  assert.deepEqual(levels.classify('memory allocation of 1024 bytes failed'), {
    level: 'error',
    text: 'memory allocation of 1024 bytes failed',
  });
  // An INFO word later in the text is not a level.
  assert.equal(levels.classify('note: INFO is not at the start').level, 'error');
});
