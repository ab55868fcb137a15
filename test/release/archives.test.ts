/**
 * `npm run release` for all five platforms, checked the way krew-index CI and the target
 * operating systems would: manifest rules, sums, archive contents, executable headers, the macOS
 * code signature, and (where this machine can) running the executables.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { installProblems, loadManifest, structuralProblems, type Installed } from './krew-rules.js';
import { binaryKind, buildRelease, machoSignature, readTarGz, readZip, sha256, tempDir } from './support.js';

const ALL = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];
const EXPECTED_KIND: Record<string, string> = {
  'linux/amd64': 'elf-x86_64',
  'linux/arm64': 'elf-aarch64',
  'darwin/amd64': 'macho-x86_64',
  'darwin/arm64': 'macho-arm64',
  'windows/amd64': 'pe-amd64',
};
const version = `v${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`;

let out: string;
let manifest: any;
let installed: Installed[];
let problems: string[];

beforeAll(() => {
  out = tempDir('release');
  const r = buildRelease(ALL, out);
  if (r.status !== 0) throw new Error(`release failed:\n${r.output}`);
  manifest = loadManifest(join(out, 'krew-manifest.yaml'));
  ({ problems, installed } = installProblems(manifest, out));
}, 600_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('krew manifest written by the release', () => {
  it('passes krew-index validation (structure, semver with v, selectors, lower-case sha256)', () => {
    expect(structuralProblems(manifest)).toEqual([]);
    expect(manifest.spec.version).toBe(version);
  });

  it('has one platform per supported target, each archive present with a matching sha256, bin and LICENSE extracted', () => {
    expect(problems).toEqual([]);
    expect(installed.map((i) => i.platform).sort()).toEqual(Object.keys(EXPECTED_KIND).sort());
  });

  it('names an .exe bin on Windows and ships the completion helper everywhere', () => {
    for (const i of installed) {
      const windows = i.platform.startsWith('windows');
      expect(i.bin?.name).toBe(windows ? 'kubectl-multus.exe' : 'kubectl-multus');
      expect(i.files.map((f) => f.name)).toContain(windows ? 'kubectl_complete-multus.cmd' : 'kubectl_complete-multus');
      expect(i.files.find((f) => f.name === 'LICENSE')?.data.equals(readFileSync(join(ROOT, 'LICENSE')))).toBe(true);
    }
  });

  it('caveats tell how to set up completion and warn about the multusctl name clash', () => {
    expect(manifest.spec.caveats).toContain('kubectl_complete-multus');
    expect(manifest.spec.caveats).toContain(`store/multus/${version}/`);
    expect(manifest.spec.caveats).toMatch(/multusctl/);
  });
});

describe('release artefacts', () => {
  it('SHA256SUMS lists every archive and the bundle with lower-case sums that match', () => {
    const lines = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const files = lines.map((l) => {
      const m = /^([a-f0-9]{64}) {2}(\S+)$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(sha256(readFileSync(join(out, m![2]!)))).toBe(m![1]);
      return m![2];
    });
    expect(files).toContain(`kubectl-multus_${version}_node.tar.gz`);
    for (const t of ALL)
      expect(files).toContain(`kubectl-multus_${version}_${t}.${t.startsWith('windows') ? 'zip' : 'tar.gz'}`);
  });

  it('each archive holds an executable for its own OS and CPU', () => {
    for (const i of installed) expect(binaryKind(i.bin!.data), i.platform).toBe(EXPECTED_KIND[i.platform]);
  });

  it('macOS executables carry a valid ad-hoc signature over every byte before it (Apple Silicon refuses others)', () => {
    for (const p of ['darwin/amd64', 'darwin/arm64']) {
      const sig = machoSignature(installed.find((i) => i.platform === p)!.bin!.data);
      expect(sig, p).toBeDefined();
      expect(sig!.badPages, p).toBe(0);
      expect(sig!.flags & 0x2, `${p} adhoc flag`).toBe(0x2);
      expect(sig!.atEnd && sig!.linkeditCovers, p).toBe(true);
      expect(sig!.identifier).toBe('kubectl-multus');
    }
  });

  it('the Unix completion helper forwards to the plugin on PATH', () => {
    const helper = installed
      .find((i) => i.platform === 'linux/amd64')!
      .files.find((f) => f.name === 'kubectl_complete-multus')!;
    expect(helper.mode & 0o111).not.toBe(0);
    expect(helper.data.toString()).toMatch(/^#!\/bin\/sh\n[\s\S]*exec kubectl-multus __complete "\$@"/);
  });

  it('archives hold exactly the executable, the helper and LICENSE, with their modes, in name order (reproducible)', () => {
    const tar = readTarGz(readFileSync(join(out, `kubectl-multus_${version}_linux_amd64.tar.gz`)));
    expect(tar.map((e) => [e.name, e.mode])).toEqual([
      ['LICENSE', 0o644],
      ['kubectl-multus', 0o755],
      ['kubectl_complete-multus', 0o755],
    ]);
    const z = readZip(readFileSync(join(out, `kubectl-multus_${version}_windows_amd64.zip`)));
    expect(z.map((e) => e.name)).toEqual(['LICENSE', 'kubectl-multus.exe', 'kubectl_complete-multus.cmd']);
  });

  it('the linux/amd64 executable runs without Node and reports itself as such', () => {
    const exe = join(out, 'linux_amd64', 'kubectl-multus');
    const r = spawnSync(exe, ['version', '-o', 'json'], { encoding: 'utf8', env: { PATH: '/nonexistent', HOME: out } });
    expect(r.status, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.version).toBe(version.slice(1));
    expect(v.runtime).toMatch(/^bun \S+ single executable linux\/x64$/);
  });

  it('the Node bundle archive unpacks to a CLI that runs under Node (chunks included)', () => {
    const dir = join(out, 'node-unpacked');
    const entries = readTarGz(readFileSync(join(out, `kubectl-multus_${version}_node.tar.gz`)));
    expect(entries.map((e) => e.name)).toEqual(
      expect.arrayContaining(['kubectl-multus.mjs', 'kubectl_complete-multus', 'LICENSE']),
    );
    for (const e of entries) {
      mkdirSync(dirname(join(dir, e.name)), { recursive: true });
      writeFileSync(join(dir, e.name), e.data, { mode: e.mode });
    }
    const r = spawnSync(process.execPath, [join(dir, 'kubectl-multus.mjs'), 'explain', 'nad-config-invalid-json'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('nad-config-invalid-json');
  });

  const qemu = ['/usr/bin/qemu-aarch64', '/usr/bin/qemu-aarch64-static'].find((q) => existsSync(q));
  const sysroot = '/usr/aarch64-linux-gnu';
  it.skipIf(!qemu || !existsSync(join(sysroot, 'lib', 'ld-linux-aarch64.so.1')))(
    'the linux/arm64 executable runs lint under qemu-user (skipped without qemu-user and libc6-arm64-cross)',
    () => {
      const exe = join(out, 'linux_arm64', 'kubectl-multus');
      const nad = JSON.stringify({
        apiVersion: 'k8s.cni.cncf.io/v1',
        kind: 'NetworkAttachmentDefinition',
        metadata: { name: 'n' },
        spec: { config: '{"cniVersion": "0.3.1", "type": "macvlan",' },
      });
      const r = spawnSync(qemu!, ['-L', sysroot, exe, 'lint', '-f', '-', '-o', 'json'], {
        input: nad,
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(r.status, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout).findings.map((f: { checkId?: string; id?: string }) => f.checkId ?? f.id)).toContain(
        'nad-config-invalid-json',
      );
    },
    300_000,
  );
});

describe('krew manifest template (scripts/krew-manifest.template.yaml)', () => {
  const text = readFileSync(join(ROOT, 'scripts', 'krew-manifest.template.yaml'), 'utf8');
  it('is YAML with the structure of the real manifest, every platform filled from placeholders', () => {
    const m = parse(text);
    expect(m.kind).toBe('Plugin');
    expect(m.metadata.name).toBe('multus');
    expect(
      m.spec.platforms
        .map(
          (p: { selector: { matchLabels: { os: string; arch: string } } }) =>
            `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`,
        )
        .sort(),
    ).toEqual(Object.keys(EXPECTED_KIND).sort());
    for (const p of m.spec.platforms) expect(p.sha256).toMatch(/^\{\{SHA256_\w+\}\}$/);
  });
});
