/**
 * Test-side readers and checkers for release artefacts, written independently of the release
 * scripts (a test that reused the writer's code could not catch the writer's bugs).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { ROOT } from '../helpers/cli.js';

export interface ArchiveEntry {
  name: string;
  mode: number;
  data: Buffer;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `km-${prefix}-`));

/** Read a .tar.gz (ustar / GNU regular files only). */
export function readTarGz(buf: Buffer): ArchiveEntry[] {
  const t = gunzipSync(buf);
  const out: ArchiveEntry[] = [];
  for (let off = 0; off + 512 <= t.length;) {
    const h = t.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim(), 8);
    const stored = parseInt(str(148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== stored) throw new Error(`tar header checksum mismatch at ${off}`);
    const prefix = str(345, 155);
    const name = (prefix ? `${prefix}/` : '') + str(0, 100);
    if (h[156] === 0x30 || h[156] === 0)
      out.push({
        name,
        mode: parseInt(str(100, 8).trim(), 8),
        data: Buffer.from(t.subarray(off + 512, off + 512 + size)),
      });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** Read a .zip through its central directory; the Unix mode comes from the external attributes. */
export function readZip(buf: Buffer): ArchiveEntry[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ArchiveEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const ext = buf.readUInt32LE(p + 38);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    out.push({ name, mode: (ext >>> 16) & 0o7777, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export type BinaryKind = 'elf-x86_64' | 'elf-aarch64' | 'macho-x86_64' | 'macho-arm64' | 'pe-amd64' | 'unknown';

/** Identify an executable from its header: the OS loader looks at exactly these bytes. */
export function binaryKind(b: Buffer): BinaryKind {
  if (b.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
    if (b[4] !== 2 || b[5] !== 1 || (b.readUInt16LE(16) !== 2 /* ET_EXEC */ && b.readUInt16LE(16) !== 3))
      return 'unknown';
    const machine = b.readUInt16LE(18);
    return machine === 62 ? 'elf-x86_64' : machine === 183 ? 'elf-aarch64' : 'unknown';
  }
  if (b.readUInt32LE(0) === 0xfeedfacf && b.readUInt32LE(12) === 2 /* MH_EXECUTE */) {
    const cpu = b.readUInt32LE(4);
    return cpu === 0x01000007 ? 'macho-x86_64' : cpu === 0x0100000c ? 'macho-arm64' : 'unknown';
  }
  if (b[0] === 0x4d && b[1] === 0x5a) {
    const pe = b.readUInt32LE(0x3c);
    if (b.readUInt32LE(pe) !== 0x00004550) return 'unknown';
    const machine = b.readUInt16LE(pe + 4);
    const optMagic = b.readUInt16LE(pe + 24);
    const subsystem = b.readUInt16LE(pe + 24 + 68);
    return machine === 0x8664 && optMagic === 0x20b && subsystem === 3 /* console */ ? 'pe-amd64' : 'unknown';
  }
  return 'unknown';
}

export interface MachoSignature {
  identifier: string;
  flags: number;
  codeLimit: number;
  pages: number;
  badPages: number;
  /** The signature ends where the file ends (nothing unsigned after it). */
  atEnd: boolean;
  /** __LINKEDIT covers the signature. */
  linkeditCovers: boolean;
}

/** Recompute every page hash of the embedded CodeDirectory, as macOS does when it maps the pages. */
export function machoSignature(b: Buffer): MachoSignature | undefined {
  let off = 32;
  let sig: [number, number] | undefined;
  let linkedit: [number, number] | undefined;
  for (let i = 0; i < b.readUInt32LE(16); i++) {
    const cmd = b.readUInt32LE(off);
    if (cmd === 0x1d) sig = [b.readUInt32LE(off + 8), b.readUInt32LE(off + 12)];
    if (
      cmd === 0x19 &&
      b
        .subarray(off + 8, off + 24)
        .toString('latin1')
        .startsWith('__LINKEDIT\0')
    ) {
      linkedit = [Number(b.readBigUInt64LE(off + 40)), Number(b.readBigUInt64LE(off + 48))];
    }
    off += b.readUInt32LE(off + 4);
  }
  if (!sig || !linkedit) return undefined;
  const sb = b.subarray(sig[0], sig[0] + sig[1]);
  if (sb.readUInt32BE(0) !== 0xfade0cc0) return undefined;
  for (let i = 0; i < sb.readUInt32BE(8); i++) {
    const o = sb.readUInt32BE(16 + i * 8);
    const cd = sb.subarray(o);
    if (sb.readUInt32BE(12 + i * 8) !== 0 || cd.readUInt32BE(0) !== 0xfade0c02) continue;
    const hashOffset = cd.readUInt32BE(16);
    const identOffset = cd.readUInt32BE(20);
    const nCode = cd.readUInt32BE(28);
    const codeLimit = cd.readUInt32BE(32);
    const hashSize = cd[36]!;
    const page = 1 << cd[39]!;
    if (cd[37] !== 2 || hashSize !== 32) return undefined;
    let bad = 0;
    for (let p = 0; p < nCode; p++) {
      const h = createHash('sha256')
        .update(b.subarray(p * page, Math.min((p + 1) * page, codeLimit)))
        .digest();
      if (!h.equals(cd.subarray(hashOffset + p * 32, hashOffset + (p + 1) * 32))) bad++;
    }
    return {
      identifier: cd.subarray(identOffset, cd.indexOf(0, identOffset)).toString('utf8'),
      flags: cd.readUInt32BE(12),
      codeLimit,
      pages: nCode,
      badPages: bad + (Math.ceil(codeLimit / page) === nCode ? 0 : 1),
      atEnd: sig[0] + sig[1] === b.length,
      linkeditCovers: linkedit[0] <= sig[0] && linkedit[0] + linkedit[1] >= sig[0] + sig[1],
    };
  }
  return undefined;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program without blocking the event loop (an in-process fake API server must keep answering). */
export function run(
  file: string,
  args: string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: o.env, cwd: o.cwd ?? ROOT, timeout: o.timeoutMs ?? 120_000, maxBuffer: 64 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : null
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Build release artefacts into `out` with the real release script. */
export function buildRelease(targets: string[], out: string): { status: number | null; output: string } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'release.mjs'), '--targets', targets.join(','), '--out', out],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, KUBECTL_MULTUS_HOMEPAGE: 'https://example.com/kubectl-multus' },
      maxBuffer: 64 << 20,
    },
  );
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** Where the real kubectl is, or undefined (tests that need its plugin dispatch then skip). */
export function findKubectl(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** What the committed top-level krew-manifest.yaml says about the build it describes (its header). */
export function committedManifestSource(text: string): { commit: string; time: number } | undefined {
  const commit = /^# source-commit: ([0-9a-f]{40})$/m.exec(text)?.[1];
  const time = /^# source-date-epoch: (\d+)$/m.exec(text)?.[1];
  return commit && time ? { commit, time: Number(time) } : undefined;
}

/**
 * Why the release of `commit` cannot be rebuilt here with this checkout's node_modules, or
 * undefined when it can: the commit must be in the history (not a shallow clone) and have the
 * same package-lock.json as the working tree.
 */
export function rebuildObstacle(commit: string): string | undefined {
  const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (git(['cat-file', '-e', `${commit}^{commit}`]).status !== 0)
    return `commit ${commit.slice(0, 12)} is not in this clone's history (shallow clone?)`;
  if (git(['diff', '--quiet', commit, '--', 'package-lock.json']).status !== 0)
    return `package-lock.json changed since ${commit.slice(0, 12)}: its release needs that commit's dependencies`;
  return undefined;
}

/**
 * `npm run release` of one commit, as a release job would run it: the commit's files (git
 * archive) in a fresh directory under `dir`, this checkout's node_modules, the commit id and
 * time from the environment. Returns the release output directory.
 */
export function buildReleaseOf(
  commit: string,
  time: number,
  targets: string[],
  dir: string,
  env: Record<string, string> = {},
): { status: number | null; output: string; out: string } {
  const src = join(dir, 'src');
  const out = join(dir, 'release');
  mkdirSync(src, { recursive: true });
  const tar = spawnSync('git', ['archive', '--format=tar', commit], { cwd: ROOT, maxBuffer: 512 << 20 });
  if (tar.status !== 0) return { status: tar.status, output: tar.stderr.toString(), out };
  const x = spawnSync('tar', ['-x', '-C', src], { input: tar.stdout });
  if (x.status !== 0) return { status: x.status, output: x.stderr.toString(), out };
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  const r = spawnSync(
    process.execPath,
    [join(src, 'scripts', 'release.mjs'), '--targets', targets.join(','), '--out', out],
    {
      cwd: src,
      encoding: 'utf8',
      env: { ...process.env, ...env, KUBECTL_MULTUS_COMMIT: commit.slice(0, 12), SOURCE_DATE_EPOCH: String(time) },
      maxBuffer: 64 << 20,
    },
  );
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`, out };
}
