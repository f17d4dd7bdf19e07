// `npm run package`: type-check, bundle, and pack the extension into a .vsix with vsce.
//
//   npm run package
//       dockerfile-ls.vsix, for every platform, without a server: it uses the
//       dockerfile-ls.server.path setting or dockerfile-ls on PATH.
//   npm run package -- --server ../../target/release/dockerfile-ls [--target linux-x64]
//       dockerfile-ls-<target>.vsix, a platform-specific package with the binary bundled as
//       server/dockerfile-ls (how rust-analyzer ships). The target defaults to this machine's
//       (vsce names: linux-x64, linux-arm64, alpine-x64, darwin-arm64, darwin-x64,
//       win32-x64, ...). Publish one such .vsix per target; the marketplace serves each user
//       the one for their platform.
//   --out FILE  names the .vsix.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
}
function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}
function run(command, commandArgs) {
  console.log(`$ ${command} ${commandArgs.join(' ')}`);
  const r = spawnSync(command, commandArgs, { stdio: 'inherit' });
  if (r.status !== 0) {
    fs.rmSync(path.join(root, 'server'), { recursive: true, force: true });
    fail(`${command} failed`);
  }
}
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const server = option('--server') ?? process.env.DOCKERFILE_LS_SERVER;
let target = option('--target');
if (target && !server) fail('--target needs --server: only a bundled binary makes a package platform-specific');
if (server && !target) {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  const libc = process.platform === 'linux' && fs.existsSync('/etc/alpine-release') ? 'alpine' : process.platform;
  if (!arch) fail(`no vsce target for ${process.platform}/${process.arch}; pass --target`);
  target = `${libc}-${arch}`;
}
const out = option('--out') ?? (target ? `dockerfile-ls-${target}.vsix` : 'dockerfile-ls.vsix');

run(bin('tsc'), ['--noEmit', '-p', '.']);
run(process.execPath, ['esbuild.mjs', '--production']);

fs.rmSync('server', { recursive: true, force: true });
if (server) {
  const src = path.resolve(process.env.INIT_CWD ?? root, server);
  if (!fs.existsSync(src)) fail(`server binary not found: ${src}`);
  const name = target.startsWith('win32') ? 'dockerfile-ls.exe' : 'dockerfile-ls';
  fs.mkdirSync('server');
  fs.copyFileSync(src, path.join('server', name));
  fs.chmodSync(path.join('server', name), 0o755);
  console.log(`bundling ${src} as server/${name} for ${target}`);
}

// The marketplace page is marketplace.md: README.md links into the repository.
const vsceArgs = ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--readme-path', 'marketplace.md', '--out', out];
if (target) vsceArgs.push('--target', target);
try {
  run(bin('vsce'), vsceArgs);
} finally {
  // The copy only exists to be packed.
  fs.rmSync('server', { recursive: true, force: true });
}
console.log(`packaged ${path.resolve(root, out)}`);
