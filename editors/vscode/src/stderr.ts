// The server's stderr, line by line, at the level each line was logged with.
// vscode-languageclient files every stderr line under "error"; the server's lines start with
// a timestamp and a tracing level (`2026-01-01T00:00:00.000000Z  INFO target: message`), so
// each goes to the output at its own level. A line without one (the rest of a multi-line
// event, a backtrace) keeps the level of the line before; before any, it counts as an error.

export type Level = 'error' | 'warn' | 'info' | 'debug' | 'trace';

const LEVELS: Record<string, Level> = { ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug', TRACE: 'trace' };
const PREFIX = /^\d{4}-\d\d-\d\dT\S+\s+(ERROR|WARN|INFO|DEBUG|TRACE)\s+(.*)$/;

/** Reads the level off stderr lines, remembering the last one for continuation lines. */
export class StderrLevels {
  private last: Level = 'error';

  /** The level of `line`, and the text to show (without the timestamp and level). */
  classify(line: string): { level: Level; text: string } {
    const m = PREFIX.exec(line);
    if (!m) {
      return { level: this.last, text: line };
    }
    this.last = LEVELS[m[1]];
    return { level: this.last, text: m[2] };
  }
}
