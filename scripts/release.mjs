// `npm run release`: build everything a release ships into dist/release/:
//   node/kubectl-multus.mjs (+ chunks/)     the esbuild bundle of the CLI for Node >= 20, code-split so
//                                           `lint`/`version` never parse the Kubernetes client
//   kubectl-multus_v<ver>_node.tar.gz       that bundle with the completion helper and LICENSE
//   <os>_<arch>/kubectl-multus[.exe]        self-contained executables (no Node needed)
//   kubectl-multus_v<ver>_<os>_<arch>.tar.gz / .zip   archives: executable, completion helper, LICENSE
//   SHA256SUMS, krew-manifest.yaml          lower-case sums; the Krew manifest filled from krew-manifest.template.yaml
//
// A full `npm run release` (all targets, default output) also rewrites the top-level
// krew-manifest.yaml, the manifest of the current version that users install with
// `kubectl krew install --manifest=krew-manifest.yaml --archive=...`; commit it.
//
// Reproducible: the build's inputs are the source commit (the last commit that changed anything
// but krew-manifest.yaml, so committing the regenerated manifest does not change what it
// describes) and that commit's time (or KUBECTL_MULTUS_COMMIT / SOURCE_DATE_EPOCH). Archives have
// sorted entries, uid/gid 0 and that time as mtime; Bun compiles from the work dir with a relative
// entry (it embeds the entry path, and hashes of it, in the executable). Two releases of one
// commit in different directories at different times give the same SHA256SUMS
// (test/release/reproducible.test.ts).
//
// Executables: `bun build --compile`. Node's single-executable applications were measured too
// but cannot produce darwin/arm64 (the npm registry has no recent Node for it), need a CommonJS
// bundle, and start ~4x slower than Bun's bytecode-compiled executable (see bench/suites/release.mjs).
// Bun fetches each target's runtime from the npm registry (~2 s per target, cached in ~/.bun).
//
// Usage: node scripts/release.mjs [--targets linux_amd64,darwin_arm64,...] [--out DIR]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tarGz, zip } from './release-archive.mjs';
import { adhocSign } from './release-macho.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Krew os/arch → Bun compile target. x64 uses Bun's "baseline" build: no AVX2 required, same startup. */
export const TARGETS = {
  linux_amd64: { bun: 'bun-linux-x64-baseline', archive: 'tar.gz' },
  linux_arm64: { bun: 'bun-linux-arm64', archive: 'tar.gz' },
  darwin_amd64: { bun: 'bun-darwin-x64-baseline', archive: 'tar.gz' },
  darwin_arm64: { bun: 'bun-darwin-arm64', archive: 'tar.gz' },
  windows_amd64: { bun: 'bun-windows-x64-baseline', archive: 'zip' },
};

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export const MANIFEST = 'krew-manifest.yaml';

const git = (args) =>
  execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();

/**
 * The commit a release is built from: the last one that changed anything but the top-level
 * manifest, with its time; `dirty` when the working tree differs from it (such a build is not
 * the commit's release, so it does not rewrite the top-level manifest).
 */
export function sourceCommit() {
  try {
    const [hash, time] = git(['log', '-1', '--format=%H %ct', '--', '.', `:(exclude)${MANIFEST}`]).split(' ');
    const dirty = git(['status', '--porcelain', '--', '.', `:(exclude)${MANIFEST}`]) !== '';
    return { hash, time: Number(time), dirty };
  } catch {
    return undefined; // not a git checkout (e.g. an unpacked source archive): use the environment
  }
}

/** The commit id the executables print (`version`): KUBECTL_MULTUS_COMMIT, else the source commit. */
function gitCommit(src) {
  if (process.env.KUBECTL_MULTUS_COMMIT) return process.env.KUBECTL_MULTUS_COMMIT;
  return src ? src.hash.slice(0, 12) + (src.dirty ? '-dirty' : '') : 'unknown';
}

/** Archive timestamps: SOURCE_DATE_EPOCH, else the source commit's time, so rebuilding a commit gives the same sums. */
function sourceDate(src) {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  return src ? src.time : Math.floor(Date.now() / 1000);
}

function bunBinary() {
  // The `bun` npm package's postinstall puts the host's native binary at bin/bun.exe (all OSes).
  const p = join(root, 'node_modules', 'bun', 'bin', 'bun.exe');
  if (!existsSync(p)) throw new Error('bun is not installed: run `npm ci` (it is a devDependency)');
  return p;
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/**
 * The CLI bundle. `split`: ESM chunks loaded on demand (for Node: start-up parses only what the
 * command needs); otherwise one file, the input of `bun build --compile`.
 */
export async function bundle(out, version, commit, split) {
  await build({
    entryPoints: { 'kubectl-multus': join(root, 'src', 'cli', 'bin.ts') },
    ...(split
      ? { outdir: out, splitting: true, chunkNames: 'chunks/[name]-[hash]', outExtension: { '.js': '.mjs' } }
      : { outfile: out }),
    bundle: true,
    format: 'esm',
    platform: 'node',
    // Module paths (relative to the checkout) decide chunk order and names: keep them the same
    // wherever the checkout is, even when node_modules is a symlink (as in the reproducibility test).
    absWorkingDir: root,
    preserveSymlinks: true,
    mainFields: ['module', 'main'], // jsonc-parser: see scripts/build.mjs
    target: 'node20',
    minify: true,
    legalComments: 'eof', // third-party notices travel inside the single file and the executables
    define: { __KM_VERSION__: JSON.stringify(version), __KM_COMMIT__: JSON.stringify(commit) },
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __kmCreateRequire } from 'node:module'; const require = __kmCreateRequire(import.meta.url);",
        // Dependencies' deprecation warnings (e.g. url.parse in the Kubernetes client) are noise to a CLI user.
        'process.noDeprecation = true;',
      ].join('\n'),
    },
    logLevel: 'warning',
  });
  chmodSync(split ? join(out, 'kubectl-multus.mjs') : out, 0o755);
}

export function renderManifest(template, values) {
  const out = template.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, (m, key) => {
    if (!(key in values)) throw new Error(`krew-manifest.yaml: no value for ${m}`);
    return values[key];
  });
  // Drop the template's own header comment: the filled manifest is what krew-index receives.
  return out.replace(/^(#[^\n]*\n)+/, '');
}

/** The header of the committed top-level manifest: which build it describes (the test rebuilds it). */
export function manifestHeader(version, commit, time) {
  return [
    `# Krew manifest of kubectl-multus ${version}, written by \`npm run release\` (template:`,
    '# scripts/krew-manifest.template.yaml). Do not edit; rerun the release and commit this file.',
    `# source-commit: ${commit}`,
    `# source-date-epoch: ${time}`,
    '',
  ].join('\n');
}

/** Keep only the platforms that were built (a partial build yields a partial, still valid manifest). */
function keepPlatforms(manifest, built) {
  const [head, list] = manifest.split(/\n  platforms:\n/);
  const items = list.split(/\n(?=    - selector:)/).filter((item) => {
    const os = /os: (\w+)/.exec(item)?.[1];
    const arch = /arch: (\w+)/.exec(item)?.[1];
    return built.includes(`${os}_${arch}`);
  });
  return `${head}\n  platforms:\n${items.join('\n').replace(/\n*$/, '\n')}`;
}

export async function release({
  targets = Object.keys(TARGETS),
  out = join(root, 'dist', 'release'),
  writeTopLevelManifest = false,
} = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = `v${pkg.version}`;
  const src = sourceCommit();
  const commit = gitCommit(src);
  const mtime = sourceDate(src);
  const homepage = process.env.KUBECTL_MULTUS_HOMEPAGE ?? pkg.homepage;
  if (!/^https:\/\//.test(homepage ?? ''))
    throw new Error('package.json needs an https "homepage" (Krew requires one)');
  const uriBase =
    process.env.KUBECTL_MULTUS_RELEASE_URL ?? `${homepage.replace(/\/+$/, '')}/releases/download/${version}`;
  const timings = {};
  const t = (k, f) => {
    const s = performance.now();
    const r = f();
    timings[k] = Math.round(performance.now() - s);
    return r;
  };

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const work = join(out, '.work');
  const bundlePath = join(work, 'kubectl-multus.mjs');
  const nodeDir = join(out, 'node');
  const s0 = performance.now();
  await bundle(bundlePath, pkg.version, commit, false);
  await bundle(nodeDir, pkg.version, commit, true);
  timings.bundle = Math.round(performance.now() - s0);

  const { UNIX_HELPER, WINDOWS_HELPER } = await helpers(out);
  const license = readFileSync(join(root, 'LICENSE'));
  const sums = {};
  const values = { VERSION: version, HOMEPAGE: homepage, URI_BASE: uriBase };
  const bun = bunBinary();
  const artefacts = [];

  // The Node bundle's archive: for users who have Node and want the small download.
  const nodeFiles = readdirSync(nodeDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) =>
      relative(nodeDir, join(d.parentPath ?? d.path, d.name))
        .split(sep)
        .join('/'),
    )
    .sort();
  const nodeArchive = `kubectl-multus_${version}_node.tar.gz`;
  const nodeData = tarGz(
    sortEntries([
      ...nodeFiles.map((f) => ({
        name: f,
        data: readFileSync(join(nodeDir, f)),
        mode: f === 'kubectl-multus.mjs' ? 0o755 : 0o644,
      })),
      { name: 'kubectl_complete-multus', data: Buffer.from(UNIX_HELPER), mode: 0o755 },
      { name: 'LICENSE', data: license, mode: 0o644 },
    ]),
    mtime,
  );
  writeFileSync(join(out, nodeArchive), nodeData);
  sums[nodeArchive] = sha256(nodeData);
  artefacts.push({ target: 'node', archive: nodeArchive, bytes: nodeData.length, executableBytes: 0 });

  for (const key of targets) {
    const target = TARGETS[key];
    if (!target) throw new Error(`unknown target ${key} (known: ${Object.keys(TARGETS).join(', ')})`);
    const windows = key.startsWith('windows');
    const exeName = windows ? 'kubectl-multus.exe' : 'kubectl-multus';
    const dir = join(out, key);
    mkdirSync(dir, { recursive: true });
    const exe = join(dir, exeName);
    // --bytecode: precompiled JavaScriptCore bytecode roughly halves startup.
    t(`compile ${key}`, () =>
      // From the work dir with a relative entry: Bun embeds the entry's path (and hashes of it).
      execFileSync(
        bun,
        [
          'build',
          `./${basename(bundlePath)}`,
          '--compile',
          '--bytecode',
          '--format=esm',
          `--target=${target.bun}`,
          '--outfile',
          exe,
        ],
        {
          cwd: work,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ),
    );
    if (key.startsWith('darwin'))
      t(`sign ${key}`, () => writeFileSync(exe, adhocSign(readFileSync(exe), 'kubectl-multus')));
    chmodSync(exe, 0o755);

    const entries = sortEntries([
      { name: exeName, data: readFileSync(exe), mode: 0o755 },
      windows
        ? { name: 'kubectl_complete-multus.cmd', data: Buffer.from(WINDOWS_HELPER), mode: 0o755 }
        : { name: 'kubectl_complete-multus', data: Buffer.from(UNIX_HELPER), mode: 0o755 },
      { name: 'LICENSE', data: license, mode: 0o644 },
    ]);
    const archiveName = `kubectl-multus_${version}_${key}.${target.archive}`;
    const data = t(`archive ${key}`, () => (target.archive === 'zip' ? zip(entries, mtime) : tarGz(entries, mtime)));
    writeFileSync(join(out, archiveName), data);
    sums[archiveName] = values[`SHA256_${key}`] = sha256(data);
    artefacts.push({
      target: key,
      archive: archiveName,
      bytes: data.length,
      executableBytes: entries.find((e) => e.name === exeName).data.length,
    });
  }

  rmSync(work, { recursive: true, force: true });
  writeFileSync(
    join(out, 'SHA256SUMS'),
    Object.entries(sums)
      .map(([f, h]) => `${h}  ${f}\n`)
      .join(''),
  );
  for (const key of Object.keys(TARGETS)) values[`SHA256_${key}`] ??= ''.padEnd(64, '0'); // dropped below
  const template = readFileSync(join(root, 'scripts', 'krew-manifest.template.yaml'), 'utf8');
  const manifest = keepPlatforms(renderManifest(template, values), targets);
  writeFileSync(join(out, MANIFEST), manifest);
  let topLevel = 'not written (a partial or custom-output release)';
  if (writeTopLevelManifest) {
    const full = targets.length === Object.keys(TARGETS).length;
    if (!full) topLevel = 'not written: not every target was built';
    else if (!src) topLevel = 'not written: not a git checkout';
    else if (src.dirty) topLevel = `not written: uncommitted changes (commit them, then rerun \`npm run release\`)`;
    else {
      writeFileSync(join(root, MANIFEST), manifestHeader(version, src.hash, mtime) + manifest);
      topLevel = `written for ${version} from ${src.hash.slice(0, 12)}; commit it`;
    }
  }
  const summary = { version, commit, homepage, uriBase, artefacts, timingsMs: timings, topLevelManifest: topLevel };
  writeFileSync(join(out, 'release.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}

/** Archive entries in name order (byte order, as `LC_ALL=C sort`). */
function sortEntries(entries) {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The completion helpers' text, from the TypeScript source (one definition, used by the CLI too). */
async function helpers(dir) {
  // Inside this release's own output dir: parallel releases (tests) must not share the file.
  const tmp = join(dir, '.release-helpers.mjs');
  await build({
    entryPoints: [join(root, 'src', 'completion', 'scripts.ts')],
    outfile: tmp,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  try {
    return await import(`${pathToFileURL(tmp).href}?${Date.now()}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const targets = arg('targets')
    ?.split(',')
    .map((s) => s.trim().replace('/', '_'))
    .filter(Boolean);
  const out = arg('out') ? resolve(arg('out')) : undefined;
  const s = await release({ targets, out, writeTopLevelManifest: !targets && !out });
  for (const a of s.artefacts)
    console.log(
      `${a.archive}  ${(a.bytes / 1e6).toFixed(1)} MB${a.executableBytes ? ` (executable ${(a.executableBytes / 1e6).toFixed(1)} MB)` : ''}`,
    );
  console.log(`timings (ms): ${JSON.stringify(s.timingsMs)}`);
  console.log(`${MANIFEST}: ${s.topLevelManifest}`);
}
