import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { reindentFlowScalars } from '../src/manifests/flow-indent.js';

const value = (text: string) => (parseAllDocuments(text)[0] as { toJS(): unknown }).toJS();

describe('reindentFlowScalars (quoted scalars at their key column, as kubectl accepts them)', () => {
  it('indents the continuation lines and keeps the value', () => {
    const text = 'spec:\n  config: \'{\n  "type": "macvlan"\n}\'\nnext: 1\n';
    const r = reindentFlowScalars(text)!;
    expect(r.shift).toEqual(
      new Map([
        [3, 1],
        [4, 3],
      ]),
    );
    expect(value(r.text)).toEqual({ spec: { config: '{ "type": "macvlan" }' }, next: 1 });
  });

  it('handles double quotes with escapes and sequence items', () => {
    const text = '- name: "a \\" b\n  c"\n- x\n';
    const r = reindentFlowScalars(text)!;
    expect(value(r.text)).toEqual([{ name: 'a " b c' }, 'x']);
  });

  it('leaves block scalars and well-indented text alone', () => {
    expect(reindentFlowScalars("a: |\n  it's \"fine\n  ok\nb: 'one line'\n")).toBeUndefined();
    expect(reindentFlowScalars("a: '{\n    x\n  }'\n")).toBeUndefined();
  });

  it('gives up on what it cannot repair: an unterminated quote, a document marker inside', () => {
    expect(reindentFlowScalars("a: '{\nb: 1\n")).toBeUndefined();
    expect(reindentFlowScalars("a: '{\n---\n}'\n")).toBeUndefined();
  });
});
