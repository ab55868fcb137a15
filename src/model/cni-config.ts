/**
 * CNI network configurations (a single plugin config or a conflist), parsed with jsonc-parser so
 * that every problem comes with a line and column. CNI itself requires strict JSON (Go's
 * encoding/json): comments and trailing commas are reported as errors even though we can read
 * past them.
 */
import { parseTree, printParseErrorCode, findNodeAtLocation, type Node, type ParseError } from 'jsonc-parser';
import { dict } from './own.js';

export interface TextPosition {
  offset: number;
  line: number; // 1-based
  column: number; // 1-based
}

export interface JsonProblem extends TextPosition {
  message: string;
  /** `syntax`: not JSON at all; `strict`: JSON-with-comments/trailing commas, which CNI rejects. */
  kind: 'syntax' | 'strict';
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

export interface ParsedJson {
  text: string;
  /** The value as far as it could be read (undefined when nothing could be). */
  value: JsonValue | undefined;
  /** Syntax errors and strict-JSON violations, in document order. */
  problems: JsonProblem[];
  /** The jsonc-parser tree, for locating keys. */
  tree: Node | undefined;
  /** Offset of each line start, for offset → line:column. */
  lineStarts: number[];
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function positionAt(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

const STRICT_CODES = new Set(['InvalidCommentToken', 'PropertyNameExpected', 'ValueExpected']);

function describe(code: string, text: string, offset: number): { message: string; kind: 'syntax' | 'strict' } {
  const near = JSON.stringify(text.slice(offset, offset + 12));
  switch (code) {
    case 'CommaExpected':
      return { message: `expected ',' before ${near}`, kind: 'syntax' };
    case 'ColonExpected':
      return { message: `expected ':' after a property name, found ${near}`, kind: 'syntax' };
    case 'CloseBraceExpected':
      return { message: "expected '}' (an object is not closed)", kind: 'syntax' };
    case 'CloseBracketExpected':
      return { message: "expected ']' (an array is not closed)", kind: 'syntax' };
    case 'EndOfFileExpected':
      return { message: `unexpected content after the end of the JSON value: ${near}`, kind: 'syntax' };
    case 'UnexpectedEndOfString':
      return { message: 'a string is not terminated', kind: 'syntax' };
    case 'InvalidSymbol':
      return { message: `invalid symbol ${near}`, kind: 'syntax' };
    default:
      return { message: `${code} near ${near}`, kind: STRICT_CODES.has(code) ? 'syntax' : 'syntax' };
  }
}

/** Find comments and trailing commas, which jsonc-parser accepts but Go's JSON decoder rejects. */
function strictViolations(text: string, lineStarts: number[]): JsonProblem[] {
  const out: JsonProblem[] = [];
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 2;
      else {
        if (c === '"') inString = false;
        i++;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      i++;
      continue;
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      out.push({
        ...positionAt(lineStarts, i),
        offset: i,
        kind: 'strict',
        message: 'comments are not allowed in CNI JSON',
      });
      if (text[i + 1] === '/') {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl;
      } else {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? text.length : end + 2;
      }
      continue;
    }
    if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === '}' || text[j] === ']') {
        out.push({
          ...positionAt(lineStarts, i),
          offset: i,
          kind: 'strict',
          message: `trailing comma before '${text[j]}' is not allowed in CNI JSON`,
        });
      }
    }
    i++;
  }
  return out;
}

/** Parse JSON text, reporting syntax errors and strict-JSON violations with positions. Never throws. */
export function parseJsonText(text: string): ParsedJson {
  const lineStarts = computeLineStarts(text);
  const errors: ParseError[] = [];
  let tree: Node | undefined;
  try {
    tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch {
    tree = undefined;
  }
  const problems: JsonProblem[] = [];
  if (text.trim() === '') {
    problems.push({ offset: 0, line: 1, column: 1, kind: 'syntax', message: 'the configuration is empty' });
  }
  for (const e of errors) {
    const code = printParseErrorCode(e.error);
    const d = describe(code, text, e.offset);
    problems.push({ ...positionAt(lineStarts, e.offset), offset: e.offset, ...d });
  }
  problems.push(...strictViolations(text, lineStarts));
  problems.sort((a, b) => a.offset - b.offset);
  let value: JsonValue | undefined;
  if (tree) {
    try {
      value = nodeToValue(tree);
    } catch {
      value = undefined;
    }
  }
  return { text, value, problems, tree, lineStarts };
}

function nodeToValue(n: Node): JsonValue {
  switch (n.type) {
    case 'object': {
      const entries: Array<[string, JsonValue]> = [];
      for (const p of n.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (k && typeof k.value === 'string' && v) entries.push([k.value, nodeToValue(v)]);
      }
      // fromEntries defines own properties: a "__proto__" key stays a plain key instead of
      // setting the prototype (Object.assign would), so no key can be inherited from it.
      return Object.fromEntries(entries);
    }
    case 'array':
      return (n.children ?? []).map(nodeToValue);
    default:
      return n.value as JsonValue;
  }
}

/** Line:column of the value at a JSON path (e.g. ['ipam', 'rangeStart']); the key's position if present. */
export function locate(p: ParsedJson, path: Array<string | number>): TextPosition | undefined {
  if (!p.tree) return undefined;
  const node = findNodeAtLocation(p.tree, path);
  if (!node) return undefined;
  // Point at the property key when the value is an object member: that is what a person looks for.
  const target = node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
  return { offset: target.offset, ...positionAt(p.lineStarts, target.offset) };
}

// ------------------------------------------------------------ typed view of a CNI config

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export interface PluginConf {
  /** Index in `plugins` (conflist) or -1 for a single-plugin config. */
  index: number;
  /** JSON path of this plugin inside the document. */
  path: Array<string | number>;
  type?: string;
  raw: JsonObject;
  ipam?: JsonObject;
  ipamType?: string;
  capabilities: Record<string, boolean>;
}

export interface CniConfig {
  parsed: ParsedJson;
  /** True when the document parsed to an object at all. */
  ok: boolean;
  isConflist: boolean;
  name?: string;
  cniVersion?: string;
  plugins: PluginConf[];
  /** The plugin that creates the interface (first of the chain). */
  main?: PluginConf;
}

function pluginFrom(raw: JsonObject, index: number, path: Array<string | number>): PluginConf {
  const ipam = isObject(raw['ipam']) ? raw['ipam'] : undefined;
  const caps: Record<string, boolean> = dict();
  if (isObject(raw['capabilities'])) {
    for (const [k, v] of Object.entries(raw['capabilities'])) caps[k] = v === true;
  }
  return {
    index,
    path,
    type: str(raw['type']),
    raw,
    ipam,
    ipamType: ipam ? str(ipam['type']) : undefined,
    capabilities: caps,
  };
}

/** Parse a CNI config or conflist. Never throws; check `ok` and `parsed.problems`. */
export function parseCniConfig(text: string): CniConfig {
  const parsed = parseJsonText(text);
  const v = parsed.value;
  if (!isObject(v)) {
    return { parsed, ok: false, isConflist: false, plugins: [] };
  }
  const isConflist = Array.isArray(v['plugins']);
  const plugins: PluginConf[] = [];
  if (isConflist) {
    (v['plugins'] as JsonValue[]).forEach((p, i) => {
      if (isObject(p)) plugins.push(pluginFrom(p, i, ['plugins', i]));
    });
  } else {
    plugins.push(pluginFrom(v, -1, []));
  }
  return {
    parsed,
    ok: true,
    isConflist,
    name: str(v['name']),
    cniVersion: str(v['cniVersion']),
    plugins,
    main: plugins[0],
  };
}

export const KNOWN_CNI_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;

/** Compare dotted versions (`0.3.1` < `1.0.0`); non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/^v/, '')
    .split(/[.+-]/)
    .map((x) => parseInt(x, 10) || 0);
  const pb = b
    .replace(/^v/, '')
    .split(/[.+-]/)
    .map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length, 3); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Flux/envsubst-style `${VAR}` placeholders left in a value: the value is not final, so checks
 * must not judge it (it is "not verifiable offline", never an error).
 */
export function isUnrendered(v: unknown): boolean {
  return typeof v === 'string' && /\$\{[^}]*\}/.test(v);
}
