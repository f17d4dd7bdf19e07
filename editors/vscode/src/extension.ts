// The dockerfile-ls extension: starts `dockerfile-ls --stdio` for the `dockerfile` language
// and forwards the `dockerfile-ls.*` settings to it.

import { ChildProcess, spawn } from 'node:child_process';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { resolveServer } from './server';
import { StderrLevels } from './stderr';
import { createTraceChannel } from './trace';

const SECTION = 'dockerfile-ls';

/** The running client and the server process it talks to (replaced when the client restarts it). */
interface Session {
  client: LanguageClient;
  child?: ChildProcess;
}

/** How long the server may take to answer `initialize` before we give up on it. */
const START_TIMEOUT_MS = 30_000;

let session: Session | undefined;
let output: vscode.LogOutputChannel;
let traceOutput: vscode.LogOutputChannel;
let extensionPath: string;
/** Serialises start/stop so that quick restarts cannot interleave. */
let pending: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel('dockerfile-ls', { log: true });
  traceOutput = createTraceChannel('dockerfile-ls Trace', () =>
    vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off'),
  );
  context.subscriptions.push(
    output,
    traceOutput,
    vscode.commands.registerCommand('dockerfile-ls.restartServer', () => restart()),
    vscode.commands.registerCommand('dockerfile-ls.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Other settings reach the running server through workspace/didChangeConfiguration;
      // the binary itself can only change by starting another one.
      if (e.affectsConfiguration(`${SECTION}.server`)) {
        void restart();
      }
    }),
  );
  // Not awaited: activation must finish (and our commands work, Restart server among them)
  // even when a server never answers.
  void enqueue(start);
}

export function deactivate(): Promise<void> {
  abandonStart();
  return enqueue(stop);
}

function enqueue(step: () => Promise<void>): Promise<void> {
  pending = pending.then(step, step);
  return pending;
}

/** A start still waiting for `initialize` holds the queue: kill its server so it fails now. */
function abandonStart(): void {
  if (session && !session.client.isRunning()) {
    session.child?.kill();
  }
}

function restart(): Promise<void> {
  abandonStart();
  return enqueue(async () => {
    output.info('restarting the server');
    await stop();
    await start();
  });
}

/** The `dockerfile-ls` section as plain JSON, the shape the server reads everywhere. */
function settings(): unknown {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(SECTION)));
}

function spawnServer(file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, ['--stdio'], { stdio: 'pipe', env: process.env });
    child.once('error', reject); // ENOENT, EACCES, ...
    child.once('spawn', () => resolve(child));
  });
}

async function start(): Promise<void> {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string | null>('server.path');
  const found = resolveServer(configured, extensionPath);
  for (const line of found.tried) {
    output.info(`looked for the server: ${line}`);
  }
  if (!found.ok) {
    output.error(found.message);
    void showError(found.message);
    return;
  }
  output.info(`starting ${found.path} --stdio (found by ${found.source})`);

  const current: Partial<Session> = {};
  // Called again by the client when it restarts a crashed server.
  const serverOptions: ServerOptions = async () => {
    const child = await spawnServer(found.path);
    current.child = child;
    return child;
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'dockerfile', scheme: 'file' },
      { language: 'dockerfile', scheme: 'untitled' },
    ],
    initializationOptions: settings,
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    traceOutputChannel: traceOutput,
    // The client's default files every stderr line as an error.
    stdioOptions: { stdout: logLines, stderr: logLines },
  };
  // The id makes the client read `dockerfile-ls.trace.server` for its message trace.
  const client = new LanguageClient(SECTION, 'dockerfile-ls', serverOptions, clientOptions);
  current.client = client;
  session = current as Session;

  const timer = setTimeout(() => {
    output.error(`the server did not answer initialize within ${START_TIMEOUT_MS / 1000} s; stopping it`);
    current.child?.kill();
  }, START_TIMEOUT_MS);
  try {
    await client.start();
    const info = client.initializeResult?.serverInfo;
    output.info(`server started: ${info ? `${info.name} ${info.version ?? ''}` : found.path}`);
  } catch (err) {
    const message =
      `dockerfile-ls: the server ${found.path} (found by ${found.source}) did not start: ` +
      `${err instanceof Error ? err.message : String(err)}. ` +
      'Check that it is a dockerfile-ls binary (`dockerfile-ls --stdio` speaks LSP), or set dockerfile-ls.server.path.';
    output.error(message);
    void showError(message);
  } finally {
    clearTimeout(timer);
  }
}

/** Each line of a server stream in the output, at the level the server logged it with. */
function logLines(input: Readable, channel: vscode.LogOutputChannel): void {
  const levels = new StderrLevels();
  readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (line) => {
    const { level, text } = levels.classify(line);
    channel[level](text);
  });
}

async function stop(): Promise<void> {
  const current = session;
  session = undefined;
  if (!current) {
    return;
  }
  try {
    if (current.client.isRunning()) {
      await current.client.stop(5000);
    }
  } catch (err) {
    output.warn(`stopping the server: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Whatever state the client is in, the process must not outlive it.
  const child = current.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill();
  }
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}
