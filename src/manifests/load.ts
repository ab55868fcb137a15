/**
 * Reads manifest files for `lint`: multi-document YAML or JSON, `kind: List`, directories
 * (recursively with -R), and stdin. Produces a `manifests` snapshot whose objects remember their
 * file positions, so a finding inside spec.config points at the real line of the file.
 * Bad input (unreadable, binary, invalid YAML, too large, unrendered template) becomes an input
 * error naming the file; the rest is still linted.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  LineCounter,
  parseAllDocuments,
  isAlias,
  isMap,
  isSeq,
  isScalar,
  type Node as YamlNode,
  type Document,
} from 'yaml';
import {
  type CollectionError,
  type NadObject,
  type Snapshot,
  type ValueOrigin,
  type WorkloadKind,
  WORKLOAD_KINDS,
  type WorkloadObject,
} from '../snapshot/types.js';
import { manifests as manifestsSnapshot } from '../snapshot/build.js';
import { NETWORKS_ANNOTATION } from '../model/networks-annotation.js';
import { reindentFlowScalars } from './flow-indent.js';
import { InputTooLarge, MAX_INPUT_BYTES, readFileBounded } from './read.js';
import { dict } from '../model/own.js';

/** Offset → 1-based line/column: a LineCounter, or one corrected for a re-indented text. */
type LinePos = Pick<LineCounter, 'linePos'>;

/** One input file (or stdin) is at most this big (docs/security.md). */
const MAX_FILE_BYTES = MAX_INPUT_BYTES;
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

const WORKLOAD_KIND_SET = new Set<WorkloadKind>(WORKLOAD_KINDS);

export interface LoadResult {
  snapshot: Snapshot;
  inputErrors: CollectionError[];
  stats: { files: number; objects: number; nads: number; workloads: number };
}

interface Input {
  name: string;
  text?: string;
  error?: string;
}

/** What a stat says a non-regular file is, for the message that refuses it. */
function fileType(st: import('node:fs').Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Expand -f arguments into files: a file, a directory (its manifest files; -R descends), or '-'
 * (stdin). A directory walk reads regular files only (a FIFO would block forever, a device never
 * ends) and enters each real directory once (a symlink loop would repeat every finding).
 */
function expandInputs(paths: string[], recursive: boolean, readStdin: () => string): Input[] {
  const out: Input[] = [];
  // `-f dir -f dir/a.yaml` names a file twice: read it once, or every finding in it doubles.
  const seen = new Set<string>();
  const realKey = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const readOnce = (p: string) => {
    const key = realKey(p);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(readInput(p));
  };
  const dirsSeen = new Set<string>();
  const visitDir = (dir: string) => {
    const real = realKey(dir);
    if (dirsSeen.has(real)) return;
    dirsSeen.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      out.push({
        name: dir,
        error: `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      });
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch (e) {
        out.push({ name: p, error: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        continue;
      }
      if (st.isDirectory()) {
        if (recursive) visitDir(p);
      } else if (MANIFEST_EXT.test(n)) {
        if (st.isFile()) readOnce(p);
        else out.push({ name: p, error: `${fileType(st)}, not a regular file; not read (name it with -f to read it)` });
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      try {
        const text = readStdin();
        out.push(
          text.trim() === '' ? { name: '<stdin>', error: 'no input on standard input' } : { name: '<stdin>', text },
        );
      } catch (e) {
        out.push({
          name: '<stdin>',
          error:
            e instanceof InputTooLarge
              ? `input is larger than the ${MAX_FILE_BYTES / 1048576} MiB limit for one input; not linted`
              : `cannot read standard input: ${(e as Error).message}`,
        });
      }
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.push({
        name: p,
        error: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (e as Error).message}`,
      });
      continue;
    }
    if (st.isDirectory()) visitDir(p);
    else readOnce(p);
  }
  return out;
}

function readInput(p: string): Input {
  try {
    const buf = readFileBounded(p);
    if (buf.includes(0)) return { name: p, error: 'binary file (contains NUL bytes); not a manifest' };
    return { name: p, text: buf.toString('utf8') };
  } catch (e) {
    if (e instanceof InputTooLarge) {
      const size = e.size !== undefined ? `file is ${(e.size / 1048576).toFixed(1)} MiB, larger` : 'input is larger';
      return { name: p, error: `${size} than the ${MAX_FILE_BYTES / 1048576} MiB limit for one input; not linted` };
    }
    const code = (e as NodeJS.ErrnoException).code;
    return { name: p, error: code === 'EACCES' ? 'permission denied' : `cannot read: ${code ?? (e as Error).message}` };
  }
}

/** Helm/Jinja markers: the file is a template and must be rendered before it can be judged. */
function templateMarker(text: string): { line: number } | undefined {
  const m = /\{\{-?\s*[^}]*\}\}|\{%-?[^%]*%\}/.exec(text);
  if (!m) return undefined;
  return { line: text.slice(0, m.index).split('\n').length };
}

/** The document being read: aliases (`*name`) resolve against it. */
let currentDoc: Document.Parsed | undefined;

/** Follow aliases to the node they name (bounded: an alias cannot name itself for long). */
function deref(node: unknown): unknown {
  for (let i = 0; i < 32 && isAlias(node) && currentDoc; i++) node = node.resolve(currentDoc);
  return isAlias(node) ? undefined : node;
}

/**
 * A map's effective entries as the API server reads them (sigs.k8s.io/yaml over go-yaml): a key
 * given twice keeps its LAST value, and merge keys (`<<: *base`, `<<: [*a, *b]`) are expanded,
 * explicit keys winning over merged ones and earlier merged maps over later ones.
 */
function entries(node: unknown, depth = 0, budget = { maps: 1000 }): Map<string, unknown> | undefined {
  const m = deref(node);
  // Merges of merges fan out (a "billion laughs" of maps): stop after a thousand maps.
  if (!isMap(m) || depth > 16 || --budget.maps < 0) return undefined;
  const out = new Map<string, unknown>();
  const merges: unknown[] = [];
  for (const it of m.items) {
    const k = deref(it.key);
    if (!isScalar(k)) continue;
    if (k.value === '<<' && k.type === 'PLAIN') {
      merges.push(it.value);
      continue;
    }
    out.set(String(k.value), it.value);
  }
  for (const src of merges) {
    const v = deref(src);
    for (const one of isSeq(v) ? v.items : [v]) {
      for (const [k, val] of entries(one, depth + 1, budget) ?? []) if (!out.has(k)) out.set(k, val);
    }
  }
  return out;
}

function get(node: unknown, key: string): YamlNode | undefined {
  const v = deref(entries(node)?.get(key));
  return v === null || v === undefined ? undefined : (v as YamlNode);
}

function getPath(node: unknown, path: string[]): YamlNode | undefined {
  let cur: unknown = node;
  for (const k of path) {
    cur = get(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur as YamlNode;
}

/**
 * Map each character of a scalar's parsed value to its line:column in the source, by walking the
 * value and the source text side by side (block scalars drop indentation, flow scalars fold lines
 * and unescape). Greedy, bounded look-ahead: exact for block and plain strings, close for quoted.
 */
function alignPositions(
  value: string,
  source: string,
  start: number,
  end: number,
  lc: LinePos,
): Array<[number, number]> {
  const out: Array<[number, number]> = new Array(value.length + 1);
  let j = start;
  // Skip a block scalar header (`|`, `|-`, `>+2` ...) up to its newline, and the opening quote.
  if (source[j] === '|' || source[j] === '>') {
    const nl = source.indexOf('\n', j);
    j = nl < 0 ? end : nl + 1;
  } else if (source[j] === '"' || source[j] === "'") j++;
  const pos = (o: number): [number, number] => {
    const p = lc.linePos(o);
    return [p.line, p.col];
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    let k = j;
    const limit = Math.min(end, j + 64);
    while (k < limit && source[k] !== ch && !(/\s/.test(ch) && /\s/.test(source[k]!))) k++;
    if (k < limit) {
      out[i] = pos(k);
      j = k + 1;
    } else {
      out[i] = pos(Math.min(j, Math.max(start, end - 1)));
    }
  }
  out[value.length] = pos(Math.min(j, end));
  return out;
}

function origin(
  node: YamlNode | undefined,
  file: string,
  source: string,
  lc: LinePos,
  withPositions: boolean,
): ValueOrigin | undefined {
  if (!node || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  const p = lc.linePos(start);
  const o: ValueOrigin = { file, line: p.line, column: p.col };
  if (withPositions && isScalar(node) && typeof node.value === 'string' && node.value.length < 1_000_000) {
    o.positions = alignPositions(node.value, source, start, valueEnd, lc);
  }
  return o;
}

function stringMap(node: YamlNode | undefined): Record<string, string> | undefined {
  const e = entries(node);
  if (!e) return undefined;
  const out: Record<string, string> = dict();
  for (const [k, val] of e) {
    const n = deref(val);
    const v = isScalar(n) ? n.value : undefined;
    out[k] = v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
  }
  return out;
}

function scalarValue(node: YamlNode | undefined): unknown {
  const n = deref(node);
  return isScalar(n) ? n.value : undefined;
}

interface Collected {
  nads: NadObject[];
  workloads: WorkloadObject[];
  objects: number;
}

function collectObject(
  node: YamlNode,
  file: string,
  docIndex: number,
  source: string,
  lc: LinePos,
  acc: Collected,
): void {
  const obj = deref(node);
  if (!isMap(obj)) return;
  const kind = scalarValue(get(obj, 'kind'));
  if (kind === 'List' || (typeof kind === 'string' && kind.endsWith('List') && isSeq(get(obj, 'items')))) {
    const items = get(obj, 'items');
    if (isSeq(items)) for (const it of items.items) collectObject(it as YamlNode, file, docIndex, source, lc, acc);
    return;
  }
  if (typeof kind !== 'string') return;
  acc.objects++;
  const meta = get(obj, 'metadata');
  const name = String(scalarValue(get(meta, 'name')) ?? '');
  const nsv = scalarValue(get(meta, 'namespace'));
  const namespace = typeof nsv === 'string' && nsv !== '' ? nsv : undefined;
  const start = obj.range ? lc.linePos(obj.range[0]) : { line: 1, col: 1 };
  const src = { file, line: start.line, column: start.col, document: docIndex };
  if (kind === 'NetworkAttachmentDefinition') {
    const spec = get(obj, 'spec');
    const cfgNode = get(spec, 'config');
    const nad: NadObject = {
      name,
      namespace,
      annotations: stringMap(get(meta, 'annotations')),
      labels: stringMap(get(meta, 'labels')),
      source: src,
    };
    const specEntries = entries(spec);
    if (specEntries) nad.specKeys = [...specEntries.keys()].filter(Boolean);
    if (cfgNode !== undefined) {
      const v = scalarValue(cfgNode);
      if (isScalar(cfgNode) && typeof v === 'string') {
        nad.config = v;
        nad.configOrigin = origin(cfgNode, file, source, lc, true);
      } else if (isScalar(cfgNode) && v === null) {
        nad.config = '';
        nad.configOrigin = origin(cfgNode, file, source, lc, false);
      } else {
        nad.configNotString = isMap(cfgNode) ? 'map' : isSeq(cfgNode) ? 'list' : typeof v;
        nad.configOrigin = origin(cfgNode, file, source, lc, false);
      }
    }
    acc.nads.push(nad);
    return;
  }
  if (!WORKLOAD_KIND_SET.has(kind as WorkloadKind)) return;
  const wk = kind as WorkloadKind;
  const templatePath =
    wk === 'Pod' ? [] : wk === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
  const template = templatePath.length ? getPath(obj, templatePath) : obj;
  const podAnnNode = getPath(template, ['metadata', 'annotations']);
  const podSpec = get(template, 'spec');
  const replicasRaw =
    wk === 'Job'
      ? scalarValue(getPath(obj, ['spec', 'parallelism']))
      : wk === 'CronJob'
        ? scalarValue(getPath(obj, ['spec', 'jobTemplate', 'spec', 'parallelism']))
        : scalarValue(getPath(obj, ['spec', 'replicas']));
  const w: WorkloadObject = {
    kind: wk,
    name,
    namespace,
    annotations: stringMap(get(meta, 'annotations')),
    labels: stringMap(get(meta, 'labels')),
    podAnnotations: stringMap(podAnnNode) ?? {},
    hostNetwork: scalarValue(get(podSpec, 'hostNetwork')) === true,
    source: src,
  };
  if (wk !== 'Pod' && wk !== 'DaemonSet') w.replicas = typeof replicasRaw === 'number' ? replicasRaw : 1;
  if (wk === 'Pod') {
    const nn = scalarValue(get(podSpec, 'nodeName'));
    if (typeof nn === 'string') w.nodeName = nn;
  }
  const netNode = get(podAnnNode, NETWORKS_ANNOTATION);
  if (netNode) w.networksOrigin = origin(netNode, file, source, lc, false);
  acc.workloads.push(w);
}

/** Parse one file's text into objects; errors name the file and the line. */
export function parseManifestText(
  file: string,
  text: string,
): { nads: NadObject[]; workloads: WorkloadObject[]; objects: number; error?: string } {
  const acc: Collected = { nads: [], workloads: [], objects: 0 };
  const tmpl = templateMarker(text);
  if (tmpl) {
    return {
      ...acc,
      error: `unrendered template (Helm/Jinja markers at line ${tmpl.line}): render it first, e.g. \`helm template … | kubectl multus lint -f -\``,
    };
  }
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    return { ...acc, error: `cannot parse: ${(e as Error).message}` };
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  let firstError: (typeof docs)[number]['errors'][number] | undefined = docs.flatMap((d) => d.errors)[0];
  let source = text;
  let pos: LinePos = lc;
  if (firstError) {
    // kubectl accepts quoted scalars whose continuation lines sit at their key's column; retry
    // with those lines indented, and shift columns back so evidence points at the original file.
    const fixed = reindentFlowScalars(text);
    if (fixed) {
      const lc2 = new LineCounter();
      const docs2 = parseAllDocuments(fixed.text, {
        lineCounter: lc2,
        uniqueKeys: false,
        prettyErrors: false,
      }) as Document.Parsed[];
      if (Array.isArray(docs2) && docs2.every((d) => d.errors.length === 0)) {
        docs = docs2;
        source = fixed.text;
        firstError = undefined;
        pos = {
          linePos(offset: number) {
            const p = lc2.linePos(offset);
            return { line: p.line, col: Math.max(1, p.col - (fixed.shift.get(p.line) ?? 0)) };
          },
        };
      }
    }
  }
  if (firstError) {
    // prettyErrors is off (we want one line), so linePos is unset: compute it from the offset.
    const at = firstError.linePos?.[0] ?? (firstError.pos ? lc.linePos(firstError.pos[0]) : undefined);
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    // Keep what parsed before the broken document: lint the rest, report this file.
    docs.forEach((d, i) => {
      currentDoc = d;
      if (d.errors.length === 0 && d.contents) collectObject(d.contents as YamlNode, file, i, text, lc, acc);
    });
    return { ...acc, error: `invalid YAML${where}: ${firstError.message.split('\n')[0]}` };
  }
  docs.forEach((d, i) => {
    currentDoc = d;
    if (d.contents) collectObject(d.contents as YamlNode, file, i, source, pos, acc);
  });
  return acc;
}

export function loadManifests(paths: string[], recursive: boolean, readStdin: () => string): LoadResult {
  const inputs = expandInputs(paths, recursive, readStdin);
  const inputErrors: CollectionError[] = [];
  const nads: NadObject[] = [];
  const workloads: WorkloadObject[] = [];
  let objects = 0;
  for (const inp of inputs) {
    if (inp.error !== undefined) {
      inputErrors.push({ collector: 'input', resource: inp.name, message: `${inp.name}: ${inp.error}` });
      continue;
    }
    const r = parseManifestText(inp.name, inp.text ?? '');
    nads.push(...r.nads);
    workloads.push(...r.workloads);
    objects += r.objects;
    if (r.error) inputErrors.push({ collector: 'input', resource: inp.name, message: `${inp.name}: ${r.error}` });
  }
  if (inputs.length === 0) {
    inputErrors.push({
      collector: 'input',
      message: `no manifest files (.yaml, .yml, .json) found in ${paths.join(', ')}`,
    });
  }
  const snapshot: Snapshot = manifestsSnapshot({ nads, workloads });
  return {
    snapshot,
    inputErrors,
    stats: { files: inputs.length, objects, nads: nads.length, workloads: workloads.length },
  };
}
