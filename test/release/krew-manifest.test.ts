/**
 * The committed top-level krew-manifest.yaml is the real manifest of the current version (the
 * README's `kubectl krew install --manifest=krew-manifest.yaml --archive=...`), not a template.
 * Fast checks here; test/release/reproducible.test.ts rebuilds the release it describes and
 * compares the sha256 values.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { structuralProblems } from './krew-rules.js';
import { committedManifestSource } from './support.js';
import { parse } from 'yaml';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; homepage?: string };
const text = readFileSync(join(ROOT, 'krew-manifest.yaml'), 'utf8');
const manifest: any = parse(text);
const TARGETS = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'];

describe('committed krew-manifest.yaml', () => {
  it('passes the Krew rules as it is (no {{placeholders}})', () => {
    expect(text).not.toMatch(/\{\{/);
    expect(structuralProblems(manifest)).toEqual([]);
  });

  it('is the manifest of the version in package.json, with the https homepage from package.json', () => {
    expect(manifest.spec.version).toBe(`v${pkg.version}`);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(manifest.spec.homepage).toBe(pkg.homepage);
  });

  it('has one platform per os/arch, each with the release uri of its archive and a sha256', () => {
    const platforms = manifest.spec.platforms.map((p: any) => ({
      key: `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`,
      uri: p.uri,
      sha256: p.sha256,
    }));
    expect(platforms.map((p: { key: string }) => p.key).sort()).toEqual([...TARGETS].sort());
    const v = `v${pkg.version}`;
    for (const p of platforms) {
      const [os, arch] = p.key.split('/');
      expect(p.uri).toBe(
        `${pkg.homepage}/releases/download/${v}/kubectl-multus_${v}_${os}_${arch}.${os === 'windows' ? 'zip' : 'tar.gz'}`,
      );
      expect(p.sha256).toMatch(/^[a-f0-9]{64}$/);
    }
    expect(new Set(platforms.map((p: { sha256: string }) => p.sha256)).size).toBe(TARGETS.length);
  });

  it('names the commit it was built from, a commit of this history, and its time', () => {
    const src = committedManifestSource(text);
    expect(src, 'header with source-commit and source-date-epoch').toBeDefined();
    const inHistory = spawnSync('git', ['merge-base', '--is-ancestor', src!.commit, 'HEAD'], { cwd: ROOT });
    // A clone without history (an npm tarball, a shallow clone) cannot tell; a full one must.
    if (spawnSync('git', ['cat-file', '-e', `${src!.commit}^{commit}`], { cwd: ROOT }).status === 0) {
      expect(
        inHistory.status,
        `krew-manifest.yaml names ${src!.commit.slice(0, 12)}, which is not in this branch's history (rebased or squashed?): run \`npm run release\` and commit krew-manifest.yaml`,
      ).toBe(0);
      const time = spawnSync('git', ['log', '-1', '--format=%ct', src!.commit], {
        cwd: ROOT,
        encoding: 'utf8',
      }).stdout.trim();
      expect(Number(time)).toBe(src!.time);
    }
  });
});
