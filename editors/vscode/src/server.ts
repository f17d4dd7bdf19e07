// Finding the dockerfile-ls binary: the setting, then the binary bundled in the extension,
// then PATH. Pure Node so that it can be reasoned about (and tested) without VS Code.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const BINARY_NAME = process.platform === 'win32' ? 'dockerfile-ls.exe' : 'dockerfile-ls';

/** Where a usable binary came from, for the log. */
export type ServerSource = 'setting' | 'bundled' | 'PATH';

export type Resolution =
  | { ok: true; path: string; source: ServerSource; tried: string[] }
  | { ok: false; message: string; tried: string[]; fromSetting: boolean };

/** `~` and `~/...` expand to the home folder. */
export function expandHome(p: string): string {
  if (p === '~') {
    return os.homedir();
  }
  if (p.startsWith('~/') || p.startsWith('~\\')) {
    return path.join(os.homedir(), p.slice(2));
  }
  return p;
}

/** Why `file` cannot be run, or undefined when it can. */
export function whyNotExecutable(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 'does not exist';
  }
  if (!stat.isFile()) {
    return 'is not a file';
  }
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      return 'is not executable (chmod +x it)';
    }
  }
  return undefined;
}

/** `dockerfile-ls` in the folders of `PATH`, as a shell would find it. */
export function findOnPath(envPath: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, BINARY_NAME);
    if (whyNotExecutable(candidate) === undefined) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * The binary to start. An explicit `dockerfile-ls.server.path` is authoritative: if it does
 * not work we say so instead of silently starting some other version.
 */
export function resolveServer(settingPath: string | null | undefined, extensionPath: string): Resolution {
  const tried: string[] = [];
  const configured = (settingPath ?? '').trim();
  if (configured) {
    const file = path.resolve(expandHome(configured));
    const why = whyNotExecutable(file);
    tried.push(`setting dockerfile-ls.server.path: ${file}${why ? ` (${why})` : ''}`);
    if (why === undefined) {
      return { ok: true, path: file, source: 'setting', tried };
    }
    return {
      ok: false,
      fromSetting: true,
      tried,
      message:
        `dockerfile-ls: the setting dockerfile-ls.server.path points to ${file}, which ${why}. ` +
        'Fix the path, or clear the setting to use the bundled server or dockerfile-ls on PATH.',
    };
  }

  const bundled = path.join(extensionPath, 'server', BINARY_NAME);
  const whyBundled = whyNotExecutable(bundled);
  tried.push(`bundled: ${bundled}${whyBundled ? ` (${whyBundled})` : ''}`);
  if (whyBundled === undefined) {
    return { ok: true, path: bundled, source: 'bundled', tried };
  }

  const onPath = findOnPath();
  tried.push(`PATH: ${onPath ?? `no ${BINARY_NAME} in PATH`}`);
  if (onPath) {
    return { ok: true, path: onPath, source: 'PATH', tried };
  }

  return {
    ok: false,
    fromSetting: false,
    tried,
    message:
      'dockerfile-ls: the language server binary was not found. Install it so that ' +
      '`dockerfile-ls` is on PATH (from a checkout of the dockerfile-ls repository: ' +
      '`cargo install --locked --path .`), or set dockerfile-ls.server.path to the binary, ' +
      'or install a platform-specific build of this extension, which bundles the server.',
  };
}
