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
//
// Needs `npm ci` first and Node 22 or later (what @vscode/vsce 4 runs on). Every package gets
// LICENSE.md (the MIT and Apache-2.0 texts) and THIRD-PARTY.md (the npm packages bundled into
// dist/extension.js, and with --server the crates in the binary); `vsce ls` must list exactly
// the expected files, and a bundled server must be a stripped release build.
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
    cleanUp();
    fail(`${command} failed`);
  }
}
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const repo = path.resolve(root, '..', '..');

const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) fail(`@vscode/vsce 4 needs Node 22 or later; this is Node ${process.versions.node}`);
if (!fs.existsSync(bin('vsce')) || !fs.existsSync(bin('tsc'))) fail('the build tools are not installed: run `npm ci` in editors/vscode first');
/** A bundled server larger than this is not a stripped release build. */
const MAX_SERVER_BYTES = 15 * 1024 * 1024;

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
const generated = ['server', 'LICENSE.md', 'THIRD-PARTY.md'];
const cleanUp = () => generated.forEach((f) => fs.rmSync(path.join(root, f), { recursive: true, force: true }));

run(bin('tsc'), ['--noEmit', '-p', '.']);
run(process.execPath, ['esbuild.mjs', '--production']);

cleanUp();
if (server) {
  const src = path.resolve(process.env.INIT_CWD ?? root, server);
  if (!fs.existsSync(src)) fail(`server binary not found: ${src}`);
  const size = fs.statSync(src).size;
  if (size > MAX_SERVER_BYTES) {
    fail(`${src} is ${(size / 1048576).toFixed(1)} MB: bundle a stripped release build (cargo build --release --locked), not a debug one`);
  }
  const name = target.startsWith('win32') ? 'dockerfile-ls.exe' : 'dockerfile-ls';
  fs.mkdirSync('server');
  fs.copyFileSync(src, path.join('server', name));
  fs.chmodSync(path.join('server', name), 0o755);
  console.log(`bundling ${src} as server/${name} for ${target}`);
}

fs.writeFileSync('LICENSE.md', licence());
fs.writeFileSync('THIRD-PARTY.md', thirdParty(!!server));

// What goes in, checked before packing: a stray file fails the build, and so does a missing one.
const expected = ['CHANGELOG.md', 'LICENSE.md', 'THIRD-PARTY.md', 'dist/extension.js', 'icon.png', 'package.json', 'readme.md'];
if (server) expected.push(`server/${target.startsWith('win32') ? 'dockerfile-ls.exe' : 'dockerfile-ls'}`);
const listed = spawnSync(bin('vsce'), ['ls', '--no-dependencies', '--readme-path', 'marketplace.md'], { encoding: 'utf8' });
const files = listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((f) => (f === 'marketplace.md' ? 'readme.md' : f)).sort();
console.log(`vsce ls: ${files.join(' ')}`);
if (listed.status !== 0 || files.join(' ') !== [...expected].sort().join(' ')) {
  cleanUp();
  fail(`the package would hold ${JSON.stringify(files)}, expected ${JSON.stringify(expected.sort())}\n${listed.stderr}`);
}

// The marketplace page is marketplace.md: README.md links into the repository.
const vsceArgs = ['package', '--no-dependencies', '--allow-missing-repository', '--readme-path', 'marketplace.md', '--out', out];
if (target) vsceArgs.push('--target', target);
try {
  run(bin('vsce'), vsceArgs);
} finally {
  // The copies only exist to be packed.
  cleanUp();
}
console.log(`packaged ${path.resolve(root, out)}`);

/** The extension's licence: the repository's two licence files, either at the user's option. */
function licence() {
  const read = (name) => fs.readFileSync(path.join(repo, name), 'utf8').trimEnd();
  return [
    '# Licence',
    '',
    'dockerfile-ls, this extension included, is licensed under either of the MIT licence or the',
    'Apache License 2.0, at your option. Both texts follow.',
    '',
    '## MIT',
    '',
    '```text',
    read('LICENSE-MIT'),
    '```',
    '',
    '## Apache-2.0',
    '',
    '```text',
    read('LICENSE-APACHE'),
    '```',
    '',
  ].join('\n');
}

/**
 * The third-party code in the package: the npm packages esbuild bundles into
 * dist/extension.js (the production dependencies), each with its licence text, and with a
 * bundled server the crates in it (the repository's THIRD-PARTY.md).
 */
function thirdParty(withServer) {
  const tree = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' });
  if (tree.status !== 0) fail(`npm ls failed: ${tree.stderr}`);
  const dirs = [...new Set(tree.stdout.split('\n').map((l) => l.trim()).filter((d) => d && d !== root))].sort();
  const out = ['# Third-party software in this extension', '', '## Bundled into dist/extension.js', ''];
  for (const dir of dirs) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    out.push(`### ${pkg.name} ${pkg.version} (${pkg.license ?? 'no licence field'})`, '');
    const file = fs.readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
    if (!file) fail(`${pkg.name} ships no licence file`);
    out.push('```text', fs.readFileSync(path.join(dir, file), 'utf8').trimEnd(), '```', '');
  }
  if (withServer) {
    out.push('## The bundled dockerfile-ls server', '');
    out.push(fs.readFileSync(path.join(repo, 'THIRD-PARTY.md'), 'utf8').replace(/^# .*\n/, '').trim(), '');
  }
  return out.join('\n');
}
