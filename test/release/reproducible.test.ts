/**
 * Reproducible release, and the committed krew-manifest.yaml matches it: the release of the
 * commit the manifest names (its header) is built twice, from that commit's files in two
 * different directories at different times, and must give byte-identical archives (the same
 * SHA256SUMS) whose sums are the manifest's. Later commits do not disturb this: the manifest
 * describes the release of its source commit, which is what users download; `npm run release`
 * after a change writes a new one.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { installProblems } from './krew-rules.js';
import { buildReleaseOf, committedManifestSource, rebuildObstacle, tempDir } from './support.js';

const ALL = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];
const text = readFileSync(join(ROOT, 'krew-manifest.yaml'), 'utf8');
const src = committedManifestSource(text);
const obstacle = src ? rebuildObstacle(src.commit) : 'krew-manifest.yaml has no source-commit header';
const work = tempDir('repro');
let a: ReturnType<typeof buildReleaseOf>;
let b: ReturnType<typeof buildReleaseOf>;

beforeAll(() => {
  if (obstacle) return;
  a = buildReleaseOf(src!.commit, src!.time, ALL, join(work, 'first'));
  if (a.status !== 0) throw new Error(`release failed:\n${a.output}`);
  // Another directory (longer path), a later time, another time zone.
  b = buildReleaseOf(src!.commit, src!.time, ALL, join(work, 'second', 'somewhere', 'else'), { TZ: 'Pacific/Chatham' });
  if (b.status !== 0) throw new Error(`release failed:\n${b.output}`);
}, 1_200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!!obstacle)(`reproducible release${obstacle ? ` (skipped: ${obstacle})` : ''}`, () => {
  it('two releases of one commit in different directories give the same SHA256SUMS', () => {
    const sumsA = readFileSync(join(a.out, 'SHA256SUMS'), 'utf8');
    const sumsB = readFileSync(join(b.out, 'SHA256SUMS'), 'utf8');
    expect(sumsA.trim().split('\n')).toHaveLength(ALL.length + 1);
    expect(sumsB).toBe(sumsA);
  });

  it('the committed krew-manifest.yaml has the sha256 of every archive of that release, and installs from it', () => {
    const sums = Object.fromEntries(
      readFileSync(join(a.out, 'SHA256SUMS'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/ {2}/).reverse()),
    );
    const manifest: any = parse(text);
    for (const p of manifest.spec.platforms) expect(p.sha256, p.uri).toBe(sums[p.uri.split('/').pop()]);
    expect(installProblems(manifest, a.out).problems).toEqual([]);
  });
});
