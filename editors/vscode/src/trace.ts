// The `dockerfile-ls Trace` output. vscode-languageclient traces LSP messages only while its
// trace channel's log level is Trace, and a LogOutputChannel's level can only be changed by
// the user through "Developer: Set Log Level". So that the documented setting
// `dockerfile-ls.trace.server` turns tracing on and off by itself, the client gets this
// channel, which reports Trace whenever the setting is not "off" and writes to a plain
// output channel.

import * as vscode from 'vscode';

export function createTraceChannel(name: string, setting: () => string): vscode.LogOutputChannel & vscode.Disposable {
  const channel = vscode.window.createOutputChannel(name);
  const changed = new vscode.EventEmitter<vscode.LogLevel>();
  const level = () => (setting() === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace);
  let last = level();
  const watcher = vscode.workspace.onDidChangeConfiguration(() => {
    const now = level();
    if (now !== last) {
      last = now;
      changed.fire(now);
    }
  });
  const write =
    (tag: string) =>
    (message: string | Error, ...args: unknown[]) => {
      const text = message instanceof Error ? (message.stack ?? message.message) : message;
      const extra = args.length ? ` ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}` : '';
      channel.appendLine(`[${tag} - ${new Date().toLocaleTimeString()}] ${text}${extra}`);
    };
  return {
    get name() {
      return channel.name;
    },
    get logLevel() {
      return level();
    },
    onDidChangeLogLevel: changed.event,
    trace: write('Trace'),
    debug: write('Debug'),
    info: write('Info'),
    warn: write('Warn'),
    error: write('Error'),
    append: (value: string) => channel.append(value),
    appendLine: (value: string) => channel.appendLine(value),
    replace: (value: string) => channel.replace(value),
    clear: () => channel.clear(),
    show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
      typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined
        ? channel.show(columnOrPreserveFocus)
        : channel.show(columnOrPreserveFocus, preserveFocus),
    hide: () => channel.hide(),
    dispose: () => {
      watcher.dispose();
      changed.dispose();
      channel.dispose();
    },
  };
}
