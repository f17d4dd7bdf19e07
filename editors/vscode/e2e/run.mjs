// Real-editor test of the dockerfile-ls VS Code extension.
//
// Installs a .vsix into code-server (VS Code in the browser), serves it on 127.0.0.1 with auth
// none and a throwaway user-data dir, opens a workspace folder with a Dockerfile in headless
// Debian Chromium through playwright-core, and does what a user does: looks for the squiggle
// and the Problems entry, changes a setting, hovers a keyword, asks for completions and accepts
// one, applies the quick fix with Ctrl+., reads the trace output, restarts the server. All of
// it is answered by the real dockerfile-ls binary.
//
//   node run.mjs [--vsix FILE] [--control]
//
// A .vsix with a bundled server (npm run package -- --server BIN) is tested with that server
// and no setting; a universal one with dockerfile-ls.server.path = $DOCKERFILE_LS_BIN
// (default target/debug/dockerfile-ls). --control sets dockerfile-ls.server.path to a program
// that reads everything and never answers; the control passes (exit 0) only if every check that
// needs the server fails, so a pass of the real test means our server answered.
//
// Environment: DOCKERFILE_LS_BIN, CHROMIUM (default /usr/bin/chromium),
// DOCKERFILE_LS_TEST_TIMEOUT_MS (per wait; default 20000, 8000 for the control). Run it with
// Node 24 first in PATH (editors/vscode/e2e/setup --print-path) or let it find .tools/bin/node.
// Screenshots of failed checks, the extension's logs and code-server's log go to
// editors/vscode/test-results/.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionDir = path.resolve(here, '..');
const repo = path.resolve(here, '../../..');
const resultsDir = path.join(extensionDir, 'test-results');

const argv = process.argv.slice(2);
const control = argv.includes('--control');
const vsixArg = argv.includes('--vsix') ? argv[argv.indexOf('--vsix') + 1] : undefined;
const vsix = path.resolve(vsixArg ?? path.join(extensionDir, 'dockerfile-ls.vsix'));
const timeout = Number(process.env.DOCKERFILE_LS_TEST_TIMEOUT_MS ?? (control ? 8000 : 20000));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const label = control ? 'vscode control' : 'vscode';

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (line) => console.log(`[${elapsed()}] ${line}`);

function die(message) {
  console.error(`${label}: ${message}`);
  process.exit(2);
}

if (!fs.existsSync(vsix)) die(`no .vsix at ${vsix} (run npm run package in editors/vscode)`);
if (!fs.existsSync(chromiumPath)) die(`no Chromium at ${chromiumPath} (apt-get install chromium)`);

// --- The server under test, or the bogus one. ---------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-ls-vscode-'));
let serverPath;
if (control) {
  serverPath = path.join(tmp, 'not-dockerfile-ls');
  // Alive, reading everything, answering nothing; gone when its stdin closes.
  fs.writeFileSync(serverPath, '#!/bin/sh\nwhile read -r line; do :; done\n', { mode: 0o755 });
} else {
  serverPath = path.resolve(repo, process.env.DOCKERFILE_LS_BIN ?? 'target/debug/dockerfile-ls');
}

// --- code-server, with the Node it needs. ----------------------------------------------------
const codeServerEntry = path.join(here, 'node_modules/code-server/out/node/entry.js');
if (!fs.existsSync(codeServerEntry)) die('code-server is not installed (run editors/vscode/e2e/setup)');
const node24 = path.join(here, '.tools/bin/node');
const node = fs.existsSync(node24) ? node24 : process.execPath;

const userDataDir = path.join(tmp, 'user-data');
const extensionsDir = path.join(tmp, 'extensions');
const workspace = path.join(tmp, 'workspace');
fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
fs.mkdirSync(extensionsDir, { recursive: true });
fs.mkdirSync(workspace, { recursive: true });

const dockerfileLines = [
  'FROM alpine:3.20',
  'RUNN echo hello', // line 2: unknown instruction, quick fix RUNN -> RUN
  'RUN echo world', // line 3: hover on RUN
  '', // line 4: completion on an empty line
  'CMD ["sh"]',
  'FROM alpine:3.20 AS base', // line 6: a stage in the outline, renamed
  'FROM base', // line 7: go to definition of `base`
  'RUN   echo   formatted &&\\', // lines 8-9: reformatted on save
  // Indented by 4: VS Code guesses the tab size from the file (editor.detectIndentation), and
  // the formatter indents by the tab size the editor sends.
  '    echo   done',
  '',
];
// What format-on-save must leave on disk in place of lines 8-9 (the other lines are as the
// checks before it left them).
const formattedRun = 'RUN echo formatted \\\n    && echo done\n';
fs.writeFileSync(path.join(workspace, 'Dockerfile'), dockerfileLines.join('\n'));

const settings = {
  'dockerfile-ls.trace.server': 'messages',
  'dockerfile-ls.registry.offline': true,
  // Only the server may offer completions: no words from the document, no snippets.
  'editor.wordBasedSuggestions': 'off',
  'editor.snippetSuggestions': 'none',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.hover.delay': 200,
  'editor.lightbulb.enabled': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'files.autoSave': 'off',
  // The extension makes dockerfile-ls the Dockerfile formatter; saving formats.
  '[dockerfile]': { 'editor.formatOnSave': true },
};
fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

// code-server keeps its own config and logs under XDG_CONFIG_HOME and XDG_DATA_HOME.
// DOCKERFILE_LS_LOG=info: the server writes informational lines to stderr too, which the
// extension must file at their own level (the "server log levels" check).
const codeServerEnv = {
  ...process.env,
  XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
  XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
  DOCKERFILE_LS_LOG: 'info',
};
const codeServerArgs = [
  codeServerEntry,
  '--config', path.join(tmp, 'code-server.yaml'),
  '--user-data-dir', userDataDir,
  '--extensions-dir', extensionsDir,
  '--disable-telemetry',
  '--disable-update-check',
  '--disable-workspace-trust',
  '--disable-getting-started-override',
];

log(`installing ${path.relative(repo, vsix)} into code-server`);
const install = spawnSync(node, [...codeServerArgs, '--install-extension', vsix], { encoding: 'utf8', env: codeServerEnv });
if (install.status !== 0) die(`--install-extension failed:\n${install.stdout}\n${install.stderr}`);
const listed = spawnSync(node, [...codeServerArgs, '--list-extensions', '--show-versions'], { encoding: 'utf8', env: codeServerEnv });
log(`installed extensions: ${listed.stdout.trim().split('\n').join(', ')}`);
if (!/dockerfile-ls\.dockerfile-ls@/.test(listed.stdout)) die('the extension is not listed after installing it');

// Which server the extension will run. A platform-specific .vsix (npm run package -- --server)
// carries it as server/dockerfile-ls, and the test leaves dockerfile-ls.server.path unset so
// that the extension finds it there. A universal .vsix gets the binary through the setting.
// The control always sets the path, to the bogus program: the setting must win over the
// bundled binary.
const installedDir = fs
  .readdirSync(extensionsDir)
  .map((d) => path.join(extensionsDir, d))
  .find((d) => path.basename(d).startsWith('dockerfile-ls.dockerfile-ls-'));
const bundled = installedDir && path.join(installedDir, 'server', 'dockerfile-ls');
const hasBundled = !!bundled && fs.existsSync(bundled);
if (hasBundled && !(fs.statSync(bundled).mode & 0o111)) die(`the bundled server ${bundled} lost its executable bit`);
const setPath = control || !hasBundled;
if (setPath && !fs.existsSync(serverPath)) die(`server binary not found at ${serverPath} (cargo build, or set DOCKERFILE_LS_BIN)`);
log(
  control
    ? `server: dockerfile-ls.server.path -> a bogus program${hasBundled ? ' (overriding the bundled server)' : ''}`
    : hasBundled
      ? `server: bundled in the .vsix (${path.relative(extensionsDir, bundled)}), no setting`
      : `server: dockerfile-ls.server.path -> ${serverPath}`,
);
// The path goes where a user puts it: the User settings, beside our other keys. code-server
// is VS Code's remote set-up, where machine-scoped settings in the User settings are ignored;
// the setting is window-scoped so that they are not (this check caught it).
if (setPath) {
  settings['dockerfile-ls.server.path'] = serverPath;
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}
const expectedSource = setPath ? 'setting' : 'bundled';

const port = await new Promise((resolve, reject) => {
  const srv = net.createServer();
  srv.once('error', reject);
  srv.listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
const codeServerLog = fs.openSync(path.join(tmp, 'code-server.log'), 'w');
const codeServer = spawn(
  node,
  [...codeServerArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--ignore-last-opened', workspace],
  { stdio: ['ignore', codeServerLog, codeServerLog], detached: true, env: codeServerEnv },
);
const baseUrl = `http://127.0.0.1:${port}`;

let browser;
const results = [];
async function cleanup() {
  try {
    await browser?.close();
  } catch {}
  try {
    process.kill(-codeServer.pid, 'SIGTERM');
  } catch {}
}
process.on('SIGINT', async () => {
  await cleanup();
  process.exit(130);
});

async function waitForHealth() {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (codeServer.exitCode !== null) break;
    try {
      const r = await fetch(`${baseUrl}/healthz`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  die(`code-server did not come up on ${baseUrl}:\n${fs.readFileSync(path.join(tmp, 'code-server.log'), 'utf8')}`);
}

let page;
let screenshotCount = 0;
async function screenshot(name) {
  if (!page) return;
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${control ? 'control-' : ''}${String(++screenshotCount).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file });
    log(`  screenshot: ${path.relative(repo, file)}`);
  } catch (err) {
    log(`  screenshot failed: ${err.message}`);
  }
}

/** Runs one check; a thrown error or a falsy `ok` fails it, with a screenshot. */
async function check(name, needsServer, fn) {
  const t0 = Date.now();
  let ok = false;
  let detail;
  try {
    ({ ok, detail } = await fn());
  } catch (err) {
    detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
  results.push({ name, ok, needsServer });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail ?? ''} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  if (!ok) await screenshot(name.replace(/\W+/g, '-'));
  return ok;
}

/** Polls `fn` until it returns a truthy value or the time is up. */
async function poll(fn, ms = timeout, every = 200) {
  const deadline = Date.now() + ms;
  for (;;) {
    // The workbench re-renders all the time: an element that vanishes mid-read is a retry.
    let value;
    try {
      value = await fn();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, every));
  }
}

const editor = () => page.locator('.editor-group-container.active .monaco-editor').first();
/** The `.view-line` element whose text is `text` (the editor renders non-breaking spaces). */
async function lineElement(text) {
  const lines = editor().locator('.view-lines .view-line');
  const n = await lines.count();
  for (let i = 0; i < n; i++) {
    const t = ((await lines.nth(i).textContent()) ?? '').replace(/\u00a0/g, ' ');
    if (t === text) return lines.nth(i);
  }
  return undefined;
}
/** Runs a command from the Command Palette by its title, as a user does. */
async function runCommand(title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^.*?: /, '') }).first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 });
}

/** The class of a squiggle drawn on the line showing `text`, or undefined (one DOM read). */
async function squiggleOn(text) {
  return page.evaluate((want) => {
    const editorEl = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editorEl) return undefined;
    const line = [...editorEl.querySelectorAll('.view-lines .view-line')].find(
      (l) => (l.textContent ?? '').replace(/\u00a0/g, ' ') === want,
    );
    if (!line) return undefined;
    const lr = line.getBoundingClientRect();
    for (const sq of editorEl.querySelectorAll('.view-overlays [class*="squiggly-"]')) {
      const r = sq.getBoundingClientRect();
      if (r.width > 0 && Math.abs(r.top + r.height / 2 - (lr.top + lr.height / 2)) < lr.height / 2) return sq.className;
    }
    return undefined;
  }, text);
}
async function editorText() {
  const lines = await editor().locator('.view-lines .view-line').allTextContents();
  return lines.map((l) => l.replace(/\u00a0/g, ' '));
}
/** Puts the caret at the start of the line showing `text`, plus `column` characters. */
async function clickLine(text, column = 0) {
  const el = await lineElement(text);
  if (!el) throw new Error(`no line ${JSON.stringify(text)} on screen; lines: ${JSON.stringify(await editorText())}`);
  const box = await el.boundingBox();
  await page.mouse.click(box.x + 2, box.y + box.height / 2);
  await page.keyboard.press('Home');
  for (let i = 0; i < column; i++) await page.keyboard.press('ArrowRight');
  return { el, box };
}
async function visibleText(selector) {
  const loc = page.locator(selector);
  const n = await loc.count();
  for (let i = 0; i < n; i++) {
    if (await loc.nth(i).isVisible()) return ((await loc.nth(i).innerText()) ?? '').trim();
  }
  return undefined;
}

/** The text of the extension's log file for output channel `name`, '' until it exists. */
function channelLog(name) {
  const found = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(`${name}.log`)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}
const count = (text, needle) => text.split(needle).length - 1;

try {
  await waitForHealth();
  log(`code-server on ${baseUrl}`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  // Short waits for single actions: the checks poll and retry instead.
  page.setDefaultTimeout(10000);
  // The first load compiles the workbench: slow on a busy machine.
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60000 });

  await check('workbench', false, async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
    return { ok: true, detail: `VS Code ${await page.evaluate(() => document.title)}` };
  });

  await check('open Dockerfile', false, async () => {
    // Click it in the Explorer, as a user would.
    const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Dockerfile' }).first();
    await item.waitFor({ timeout: 30000 });
    let opened = false;
    for (let attempt = 0; attempt < 3 && !opened; attempt++) {
      await item.click();
      opened = await poll(async () => (await lineElement('RUNN echo hello')) !== undefined, 10000);
    }
    const mode = await poll(async () => {
      const m = await visibleText('.statusbar-item[id="status.editor.mode"]');
      return m && /docker/i.test(m) ? m : undefined;
    }, 10000);
    return { ok: opened && !!mode, detail: `language mode: ${mode ?? (await visibleText('.statusbar-item[id="status.editor.mode"]'))}` };
  });

  await check('extension active', false, async () => {
    // The extension creates its output channel when it activates; Show output selects it.
    const selected = async () => {
      const select = page.locator('[id="workbench.parts.panel"] select').first();
      if (!(await select.count()) || !(await select.isVisible())) return undefined;
      const chosen = await select.evaluate((el) => el.options[el.selectedIndex]?.text ?? '');
      return chosen === 'dockerfile-ls' ? chosen : undefined;
    };
    // The command palette can swallow the first try while the workbench is still busy.
    let channel;
    for (let attempt = 0; attempt < 3 && !channel; attempt++) {
      await runCommand('dockerfile-ls: Show output');
      channel = await poll(selected, 7000);
    }
    const starting = await poll(async () => channelLog('dockerfile-ls').split('\n').find((l) => l.includes('[info] starting ')), 10000);
    const right = !!starting && starting.includes(`(found by ${expectedSource})`);
    return {
      ok: !!channel && right,
      detail: !channel ? 'no dockerfile-ls output channel' : (starting ?? 'no "starting" line in its log').replace(/^.*\[info\] /, '') + (right ? '' : ` (expected: found by ${expectedSource})`),
    };
  });

  // --- What needs the server. ---------------------------------------------------------------
  await check('diagnostic squiggle', true, async () => {
    const squiggle = await poll(() => squiggleOn('RUNN echo hello'));
    return { ok: !!squiggle, detail: squiggle ? `line 2 has ${squiggle.match(/squiggly-\w+/)?.[0]}` : 'no squiggle on line 2' };
  });

  await check('problems panel', true, async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = await poll(async () => {
      const rows = page.locator('.markers-panel .monaco-list-row');
      const n = await rows.count();
      for (let i = 0; i < n; i++) {
        const aria = (await rows.nth(i).getAttribute('aria-label')) ?? '';
        const text = (await rows.nth(i).innerText()).replace(/\s+/g, ' ');
        if (/\bLn 2\b|line 2\b|\[2, ?1\]|Ln 2,/i.test(`${aria} ${text}`)) return `${text} | ${aria}`;
      }
      return undefined;
    });
    return { ok: !!row, detail: row ? row.slice(0, 200) : 'no problem on line 2 in the Problems panel' };
  });

  await check('settings reach the server', true, async () => {
    // Set dockerfile-ls.diagnostics.enable to false in the workspace's .vscode/settings.json
    // (VS Code watches it): the squiggle must go, through workspace/didChangeConfiguration and
    // the server's workspace/configuration request. Back to true: the squiggle must return.
    const dir = path.join(workspace, '.vscode');
    fs.mkdirSync(dir, { recursive: true });
    const write = (enable) =>
      fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ 'dockerfile-ls.diagnostics.enable': enable }, null, 2));
    write(false);
    const gone = await poll(async () => !(await squiggleOn('RUNN echo hello')));
    write(true);
    const back = gone && (await poll(() => squiggleOn('RUNN echo hello')));
    return {
      ok: gone && !!back,
      detail: !gone
        ? 'the squiggle stayed with diagnostics.enable = false'
        : back
          ? 'diagnostics.enable = false cleared the squiggle, true brought it back'
          : 'the squiggle did not come back with diagnostics.enable = true',
    };
  });

  await check('hover', true, async () => {
    await page.keyboard.press('Escape');
    const line = await lineElement('RUN echo world');
    const box = await line.boundingBox();
    const hoverText = await poll(async () => {
      await page.mouse.move(box.x + 60, box.y + 200); // away, then onto the keyword
      await page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 3 });
      const t = await poll(() => visibleText('.monaco-hover .hover-contents, .monaco-hover-content'), 3000, 200);
      return t && t.includes('RUN') ? t : undefined;
    }, timeout, 0);
    return { ok: !!hoverText, detail: hoverText ? hoverText.replace(/\s+/g, ' ').slice(0, 120) : 'no hover with RUN over the RUN keyword' };
  });

  await check('completion', true, async () => {
    await page.mouse.move(5, 5);
    await clickLine('CMD ["sh"]');
    await page.keyboard.press('ArrowUp'); // the empty line 4
    await page.keyboard.press('Control+Space');
    const widget = page.locator('.editor-widget.suggest-widget.visible');
    const keywords = ['FROM', 'RUN', 'COPY', 'ADD', 'CMD', 'ENV', 'ARG', 'WORKDIR'];
    const labels = await poll(async () => {
      if (!(await widget.count())) return undefined;
      const names = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
      return names.filter((n) => keywords.includes(n)).length >= 3 ? names : undefined;
    });
    if (!labels) {
      await page.keyboard.press('Escape');
      return { ok: false, detail: 'no completion list with instruction keywords on an empty line' };
    }
    // Narrow the list as a user types, and accept WORKDIR (not in the document, so only the
    // server can have offered it).
    await page.keyboard.type('WORKD', { delay: 50 });
    const row = await poll(async () => {
      const r = widget.locator('.monaco-list-row', { hasText: 'WORKDIR' }).first();
      return (await r.count()) && (await r.isVisible()) ? r : undefined;
    }, 10000);
    if (!row) {
      await page.keyboard.press('Escape');
      return { ok: false, detail: `${labels.length} shown (${labels.slice(0, 8).join(' ')}), but no WORKDIR after typing WORKD` };
    }
    await page.keyboard.press('Enter');
    const accepted = await poll(async () => (await editorText()).find((l) => l.startsWith('WORKDIR')), 5000);
    await page.keyboard.press('Escape'); // leave snippet mode, if any
    return {
      ok: !!accepted,
      detail: `${labels.length} shown: ${labels.slice(0, 8).join(' ')}; accepted WORKDIR -> ${JSON.stringify(accepted ?? null)}`,
    };
  });

  await check('quick fix', true, async () => {
    const findFix = async () => {
      const row = page.locator('.action-widget .monaco-list-row').filter({ hasText: /\bRUN\b/ }).first();
      if (!(await row.isVisible())) return undefined;
      return { row, text: (await row.innerText({ timeout: 2000 })).trim() };
    };
    // Ctrl+. on the word, as a user does; a key press can be lost while the editor is busy,
    // so try again, the last time through the Command Palette's "Quick Fix...".
    let item;
    for (let attempt = 0; attempt < 3 && !item; attempt++) {
      await page.keyboard.press('Escape');
      await clickLine('RUNN echo hello', 1);
      if (attempt < 2) await page.keyboard.press('Control+.');
      else await runCommand('Quick Fix...');
      item = await poll(findFix, attempt < 2 ? 6000 : timeout);
    }
    if (!item) {
      const shown = await visibleText('.action-widget');
      await page.keyboard.press('Escape');
      return { ok: false, detail: `no quick fix mentioning RUN; menu: ${shown ? shown.replace(/\s+/g, ' ') : 'none'}` };
    }
    await item.row.click();
    const fixed = await poll(async () => (await lineElement('RUN echo hello')) !== undefined, 10000);
    return { ok: fixed, detail: `applied "${item.text}"; lines now: ${JSON.stringify((await editorText()).slice(0, 3))}` };
  });

  await check('diagnostic cleared after fix', true, async () => {
    if (!(await lineElement('RUN echo hello'))) return { ok: false, detail: 'the quick fix was not applied' };
    const cleared = await poll(async () => !(await squiggleOn('RUN echo hello')));
    return { ok: cleared, detail: cleared ? 'no squiggle on line 2' : 'line 2 still has a squiggle' };
  });

  await check('outline', true, async () => {
    // Go to Symbol in Editor lists the document symbols: the stage `base` is one.
    await page.keyboard.press('Escape');
    await clickLine('CMD ["sh"]');
    await page.keyboard.press('Control+Shift+O');
    const row = await poll(async () => {
      const rows = page.locator('.quick-input-list .monaco-list-row');
      const n = await rows.count();
      for (let i = 0; i < n; i++) {
        const text = ((await rows.nth(i).innerText()) ?? '').replace(/\s+/g, ' ');
        if (/\bbase\b/.test(text)) return text;
      }
      return undefined;
    });
    const shown = await visibleText('.quick-input-list');
    await page.keyboard.press('Escape');
    return { ok: !!row, detail: row ? `symbol row: ${row}` : `no \`base\` among the symbols: ${(shown ?? 'none').replace(/\s+/g, ' ').slice(0, 150)}` };
  });

  await check('go to definition', true, async () => {
    // F12 on `base` in `FROM base` moves the caret to `AS base` on line 6.
    await clickLine('FROM base', 6);
    await page.keyboard.press('F12');
    const at = await poll(async () => {
      const t = await visibleText('.statusbar-item[id="status.editor.selection"]');
      return t && /Ln 6\b/.test(t) ? t : undefined;
    });
    return { ok: !!at, detail: at ? `caret at ${at}` : `caret at ${await visibleText('.statusbar-item[id="status.editor.selection"]')}` };
  });

  await check('rename', true, async () => {
    // F2 on the stage name, a new name, Enter: both the declaration and the use change.
    await page.keyboard.press('Escape');
    await clickLine('FROM base', 6);
    await page.keyboard.press('F2');
    const input = page.locator('.rename-box input, .rename-input').first();
    await input.waitFor({ timeout: 10000 });
    await input.fill('builder');
    await page.keyboard.press('Enter');
    const renamed = await poll(async () => (await lineElement('FROM alpine:3.20 AS builder')) && (await lineElement('FROM builder')));
    return { ok: !!renamed, detail: renamed ? 'AS base / FROM base renamed to builder' : `lines now: ${JSON.stringify((await editorText()).slice(4, 8))}` };
  });

  await check('format on save', true, async () => {
    // Ctrl+S, as a user saves: VS Code asks the default formatter (ours, by the extension's
    // configurationDefaults) before writing the file.
    await clickLine('RUN echo world');
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, 'Dockerfile');
    const saved = await poll(async () => {
      const text = fs.readFileSync(file, 'utf8');
      return text.endsWith(formattedRun) && !text.includes('RUN   echo');
    });
    return {
      ok: saved,
      detail: saved ? 'the saved file is formatted' : `the file on disk is ${JSON.stringify(fs.readFileSync(file, 'utf8'))}`,
    };
  });

  await check('trace output', true, async () => {
    // dockerfile-ls.trace.server is "messages": the client traces each message by name.
    const trace = await poll(async () => {
      const t = channelLog('dockerfile-ls Trace');
      return /Received response 'initialize/.test(t) && /Received notification 'textDocument\/publishDiagnostics'/.test(t) ? t : undefined;
    }, 5000);
    return { ok: !!trace, detail: trace ? `${count(trace, '[Trace')} traced messages, initialize answered` : 'no answered initialize in the dockerfile-ls Trace output' };
  });

  await check('server log levels', true, async () => {
    // The server's INFO lines, from stderr and from window/logMessage, are [info] in the
    // dockerfile-ls output; nothing there is an error.
    const text = channelLog('dockerfile-ls');
    const stderrInfo = text.split('\n').find((l) => /\[info\] dockerfile_ls::\S+: initialize /.test(l));
    const errors = text.split('\n').filter((l) => l.includes('[error]'));
    return {
      ok: !!stderrInfo && errors.length === 0,
      detail: errors.length ? `${errors.length} error lines, first: ${errors[0]}` : stderrInfo ? `stderr INFO filed as info: ${stderrInfo.slice(0, 120)}` : 'no server INFO line from stderr in the output',
    };
  });

  await check('restart server', true, async () => {
    const before = count(channelLog('dockerfile-ls'), 'server started:');
    await runCommand('dockerfile-ls: Restart server');
    const restarted = await poll(async () => count(channelLog('dockerfile-ls'), 'server started:') > before);
    if (!restarted) return { ok: false, detail: `no new "server started" in the output (had ${before})` };
    // The new server answers: hover again.
    const line = await lineElement('RUN echo world');
    const box = await line.boundingBox();
    const hoverText = await poll(async () => {
      await page.mouse.move(box.x + 60, box.y + 200);
      await page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 3 });
      const t = await poll(() => visibleText('.monaco-hover .hover-contents, .monaco-hover-content'), 3000, 200);
      return t && t.includes('RUN') ? t : undefined;
    }, timeout, 0);
    return { ok: !!hoverText, detail: hoverText ? 'restarted, and the new server answers hover' : 'restarted, but no hover from the new server' };
  });
} catch (err) {
  results.push({ name: 'harness', ok: false, needsServer: false });
  console.log(`FAIL harness: ${err instanceof Error ? err.stack : String(err)}`);
  await screenshot('harness');
}

const failed = results.filter((r) => !r.ok);
if (failed.length) {
  // The extension's own log (dockerfile-ls output channel) tells why a server did not answer.
  fs.mkdirSync(resultsDir, { recursive: true });
  const logs = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/dockerfile-ls/i.test(e.name) && e.name.endsWith('.log')) logs.push(p);
    }
  };
  try {
    walk(path.join(userDataDir, 'logs'));
  } catch {}
  for (const file of logs) {
    const dest = path.join(resultsDir, `${control ? 'control-' : ''}${path.basename(file)}`);
    fs.copyFileSync(file, dest);
    const tail = fs.readFileSync(file, 'utf8').trim().split('\n').slice(-15);
    console.log(`--- ${path.basename(file)} (copied to ${path.relative(repo, dest)}) ---\n${tail.join('\n')}`);
  }
  fs.copyFileSync(path.join(tmp, 'code-server.log'), path.join(resultsDir, `${control ? 'control-' : ''}code-server.log`));
}
await cleanup();
fs.rmSync(tmp, { recursive: true, force: true });

const passed = results.length - failed.length;
// Worded unlike a test-runner summary: in a control run the failures are the expected outcome.
console.log(`checks done in ${elapsed()}: ${passed} ok, ${failed.length} not ok`);
if (control) {
  const serverChecks = results.filter((r) => r.needsServer);
  const wronglyPassed = serverChecks.filter((r) => r.ok).map((r) => r.name);
  const harnessOk = results.filter((r) => !r.needsServer).every((r) => r.ok);
  if (!harnessOk) {
    console.log('vscode control: FAIL: the editor itself did not come up, so the control proves nothing');
    process.exit(1);
  }
  if (wronglyPassed.length || serverChecks.length === 0) {
    console.log(`vscode control: FAIL: passed without our server: ${wronglyPassed.join(', ') || '(no server checks ran)'}`);
    process.exit(1);
  }
  console.log(`vscode control: ok (all ${serverChecks.length} server checks failed without our server)`);
  process.exit(0);
}
console.log(`vscode: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
