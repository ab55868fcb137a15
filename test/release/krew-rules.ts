/**
 * Krew's manifest rules (krew v0.4.5 `validate-krew-manifest`, as krew-index CI runs it, plus the
 * review bot's text rules), re-stated for tests. Returns the problems in krew's own wording where
 * it has one; an empty list means krew-index CI would accept the manifest.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { readTarGz, readZip, sha256, type ArchiveEntry } from './support.js';

const SUPPORTED_PLATFORMS = [
  'windows/386',
  'windows/amd64',
  'windows/arm64',
  'linux/386',
  'linux/amd64',
  'linux/arm',
  'linux/arm64',
  'linux/ppc64le',
  'darwin/386',
  'darwin/amd64',
  'darwin/arm64',
];
const LICENSE_NAMES = [
  'license',
  'license.txt',
  'license.md',
  'licenses',
  'licenses.txt',
  'licenses.md',
  'copying',
  'copying.txt',
];
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
// k8s.io/apimachinery/pkg/util/version ParseSemantic, after krew strips the leading 'v'.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

export interface Installed {
  platform: string;
  files: ArchiveEntry[];
  bin: ArchiveEntry | undefined;
}

/** Structural rules (internal/index/validation/validate.go) and the review guidelines' text rules. */
export function structuralProblems(m: any, fileName = 'multus.yaml'): string[] {
  const p: string[] = [];
  if (m?.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2')
    p.push(`plugin manifest has apiVersion="${m?.apiVersion}", not supported`);
  if (m?.kind !== 'Plugin') p.push(`plugin manifest has kind="${m?.kind}", not Plugin`);
  const name = m?.metadata?.name;
  if (typeof name !== 'string' || !/^[\w-]+$/.test(name) || WINDOWS_RESERVED.test(name))
    p.push(`plugin name "${name}" is invalid`);
  if (name !== basename(fileName, '.yaml'))
    p.push(`plugin should be named "${basename(fileName, '.yaml')}", not "${name}"`);
  const spec = m?.spec ?? {};
  if (!spec.shortDescription) p.push('should have a short description');
  else {
    if (/\n/.test(spec.shortDescription)) p.push('should not have line breaks in short description');
    if (spec.shortDescription.length > 50)
      p.push(`shortDescription is ${spec.shortDescription.length} characters (review asks for <= 50)`);
    if (/\b(plugin|kubernetes)\b/i.test(spec.shortDescription))
      p.push('shortDescription has redundant words (plugin, Kubernetes)');
  }
  if (!spec.description) p.push('should have a description');
  else {
    for (const line of String(spec.description).split('\n'))
      if (line.length > 80) p.push(`description line over 80 columns: ${line}`);
    if (/kubectl multus \w|^\s*\$ /m.test(spec.description))
      p.push('description contains usage examples (review asks for -h instead)');
  }
  if (!spec.homepage) p.push('should have a homepage');
  if (!spec.version) p.push('should have a version specified');
  else if (!String(spec.version).startsWith('v')) p.push(`version string "${spec.version}" not starting with 'v'`);
  else if (!SEMVER.test(String(spec.version).slice(1))) p.push(`version string "${spec.version}" is not semver`);
  const platforms: any[] = spec.platforms ?? [];
  if (platforms.length === 0) p.push('should have a platform specified');
  const matchedBy = new Map<string, number>();
  platforms.forEach((pl, i) => {
    const where = `platform[${i}]`;
    if (!pl.uri) p.push(`${where}: \`uri\` has to be set`);
    else if (!/\.(tar\.gz|zip)$/.test(pl.uri)) p.push(`${where}: uri must be a .tar.gz or .zip`);
    if (!pl.sha256) p.push(`${where}: \`sha256\` sum has to be set`);
    else if (!/^[a-f0-9]{64}$/.test(pl.sha256)) p.push(`${where}: sha256 "${pl.sha256}" is not lower-case 64-hex`);
    if (!pl.bin) p.push(`${where}: \`bin\` has to be set`);
    if (pl.files !== undefined) {
      if (!Array.isArray(pl.files) || pl.files.length === 0) p.push(`${where}: files must be absent or non-empty`);
      else for (const f of pl.files) if (!f?.from || !f?.to) p.push(`${where}: every file needs from and to`);
    }
    const sel = pl.selector;
    if (!sel) p.push(`${where}: nil selector is not supported`);
    else if (Object.keys(sel).length === 0) p.push(`${where}: empty selector is not supported`);
    else {
      if (sel.matchExpressions) p.push(`${where}: matchExpressions not used by this project`);
      const labels = sel.matchLabels ?? {};
      if (sel.matchLabels && Object.keys(labels).length === 0) p.push(`${where}: \`matchLabels\` specified but empty`);
      for (const k of Object.keys(labels)) if (k !== 'os' && k !== 'arch') p.push(`${where}: key "${k}" not supported`);
      const matches = SUPPORTED_PLATFORMS.filter((s) => {
        const [os, arch] = s.split('/');
        return (labels.os === undefined || labels.os === os) && (labels.arch === undefined || labels.arch === arch);
      });
      if (matches.length === 0) p.push(`${where}: selector matches no supported platform`);
      for (const s of matches) {
        if (matchedBy.has(s))
          p.push(`overlapping selectors: ${s} matched by platform[${matchedBy.get(s)}] and ${where}`);
        matchedBy.set(s, i);
      }
      if (labels.os === 'windows' && pl.bin && !String(pl.bin).endsWith('.exe'))
        p.push(`${where}: Windows bin must end in .exe`);
    }
  });
  return p;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    '^' +
      glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]') +
      '$',
  );
}

/**
 * What `kubectl krew install --manifest` does per platform: fetch the archive (here: from `dir`,
 * by the uri's file name), check its sha256, extract the `files`, find `bin` and a licence.
 */
export function installProblems(m: any, dir: string): { problems: string[]; installed: Installed[] } {
  const problems: string[] = [];
  const installed: Installed[] = [];
  for (const pl of m?.spec?.platforms ?? []) {
    const platform = `${pl.selector?.matchLabels?.os}/${pl.selector?.matchLabels?.arch}`;
    let buf: Buffer;
    try {
      buf = readFileSync(join(dir, basename(pl.uri)));
    } catch {
      problems.push(`${platform}: archive ${basename(pl.uri)} not found`);
      continue;
    }
    if (sha256(buf) !== pl.sha256) {
      problems.push(`${platform}: sha256 mismatch (manifest ${pl.sha256}, archive ${sha256(buf)})`);
      continue;
    }
    const entries = String(pl.uri).endsWith('.zip') ? readZip(buf) : readTarGz(buf);
    const files: ArchiveEntry[] = pl.files
      ? (pl.files as { from: string; to: string }[]).flatMap((f) => {
          const re = globToRegExp(f.from);
          const hits = entries.filter((e) => re.test(e.name));
          if (hits.length === 0) problems.push(`${platform}: files.from "${f.from}" matches nothing in the archive`);
          return hits.map((e) => ({ ...e, name: f.to === '.' ? basename(e.name) : join(f.to, basename(e.name)) }));
        })
      : entries;
    const bin = files.find((f) => f.name === pl.bin);
    if (!bin) problems.push(`${platform}: bin "${pl.bin}" not among the extracted files`);
    else if (!String(pl.bin).endsWith('.exe') && (bin.mode & 0o111) === 0)
      problems.push(`${platform}: bin "${pl.bin}" is not executable`);
    if (!files.some((f) => LICENSE_NAMES.includes(basename(f.name).toLowerCase()))) {
      problems.push(`${platform}: could not find license file among [${files.map((f) => f.name).join(', ')}]`);
    }
    installed.push({ platform, files, bin });
  }
  return { problems, installed };
}

export function loadManifest(path: string): any {
  return parse(readFileSync(path, 'utf8'));
}
