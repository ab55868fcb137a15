import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJsonText, parseCniConfig, locate, positionAt } from '../../src/model/cni-config.js';
import { RUNS, anyText, jsonish } from './arbitraries.js';

/** line:column the slow, obvious way. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl };
}

/** Every [path, value] pair inside a JSON value (objects by key, arrays by index), depth-first. */
function paths(v: unknown, prefix: Array<string | number> = []): Array<[Array<string | number>, unknown]> {
  const out: Array<[Array<string | number>, unknown]> = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([[...prefix, i], x], ...paths(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push([[...prefix, k], x], ...paths(x, [...prefix, k]));
  return out;
}

describe('cni-config (property-based)', () => {
  it('parseJsonText and parseCniConfig never throw, and every problem has a position inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, jsonish), (t) => {
        const p = parseJsonText(t);
        for (const x of p.problems) {
          expect(x.offset >= 0 && x.offset <= t.length).toBe(true);
          expect({ line: x.line, column: x.column }).toEqual(lineCol(t, x.offset));
        }
        const c = parseCniConfig(t);
        expect(c.ok).toBe(
          c.parsed.value !== null && typeof c.parsed.value === 'object' && !Array.isArray(c.parsed.value),
        );
      }),
      RUNS,
    );
  });

  it('a JSON value printed with JSON.stringify parses with no problems, to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom(undefined, 2, '\t'), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        const p = parseJsonText(text);
        expect(p.problems).toEqual([]);
        expect(p.value).toEqual(JSON.parse(text));
      }),
      RUNS,
    );
  });

  it('locate points at the key of each object member and at the start of each array element', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        const p = parseJsonText(text);
        for (const [path, value] of paths(JSON.parse(text))) {
          const pos = locate(p, path);
          expect(pos).toBeDefined();
          const last = path[path.length - 1]!;
          const expected =
            typeof last === 'string' ? JSON.stringify(last) : JSON.stringify(value, null, indent).split('\n')[0]!;
          expect(text.slice(pos!.offset, pos!.offset + expected.length)).toBe(expected);
          expect({ line: pos!.line, column: pos!.column }).toEqual(lineCol(text, pos!.offset));
        }
      }),
      RUNS,
    );
  });

  it('positionAt agrees with counting newlines', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', ' '), maxLength: 60 }), fc.nat(), (t, n) => {
        const offset = n % (t.length + 1);
        const starts = [0];
        for (let i = 0; i < t.length; i++) if (t[i] === '\n') starts.push(i + 1);
        expect(positionAt(starts, offset)).toEqual(lineCol(t, offset));
      }),
      RUNS,
    );
  });

  it('a comment or a trailing comma added to valid JSON is a strict problem at that spot', () => {
    const obj = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 });
    fc.assert(
      fc.property(obj, fc.boolean(), (o, comment) => {
        const text = JSON.stringify(o);
        const bad = comment ? `${text.slice(0, -1)}/* x */}` : `${text.slice(0, -1)},}`;
        const p = parseJsonText(bad);
        const strict = p.problems.filter((x) => x.kind === 'strict');
        expect(strict.length).toBe(1);
        expect(strict[0]!.offset).toBe(text.length - 1);
      }),
      RUNS,
    );
  });
});

describe('cni-config regression found by the properties above', () => {
  it('keeps a "__proto__" key as a plain key: nothing is inherited from it', () => {
    const c = parseCniConfig('{"__proto__": {"type": "macvlan", "master": "eth9"}, "name": "x"}');
    expect(c.ok).toBe(true);
    expect(c.main?.type).toBeUndefined();
    expect(Object.keys(c.parsed.value as object)).toEqual(['__proto__', 'name']);
  });
});
