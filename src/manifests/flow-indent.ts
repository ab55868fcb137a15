/**
 * kubectl reads YAML with go-yaml (a libyaml port), which accepts a quoted scalar whose
 * continuation lines are indented no deeper than its key — the most common way NADs are
 * written:
 *
 *   spec:
 *     config: '{
 *       "type": "macvlan"
 *     }'            ← same column as `config:`, or even column 0
 *
 * YAML 1.2 and the `yaml` package reject that. As a fallback after a failed parse we indent such
 * continuation lines one column past their key. Leading whitespace of continuation lines is
 * folded away in quoted scalars, so the value does not change; we remember the columns added per
 * line to map positions back to the original file.
 */

interface Reindented {
  text: string;
  /** 1-based line → number of spaces added at its start. */
  shift: Map<number, number>;
}

const OPENERS = new Set([':', '-', '[', '{', ',', '?']);

/** Column of a line's content after its indentation and any `- ` sequence indicators. */
function keyColumn(line: string): number {
  let i = 0;
  while (line[i] === ' ') i++;
  while (line[i] === '-' && line[i + 1] === ' ') {
    i += 2;
    while (line[i] === ' ') i++;
  }
  return i;
}

/**
 * Re-indent under-indented continuation lines of multi-line quoted scalars. Returns undefined
 * when nothing needed changing or the text cannot be repaired this way (an unterminated quote,
 * a document marker inside a quoted scalar).
 */
export function reindentFlowScalars(text: string): Reindented | undefined {
  const lines = text.split('\n');
  const shift = new Map<number, number>();
  let quote: '"' | "'" | undefined;
  let parentIndent = 0;
  // Inside a block scalar (`|`, `>`) quotes are literal text: skip lines deeper than its key.
  let blockIndent = -1;
  for (let li = 0; li < lines.length; li++) {
    let line = lines[li]!;
    let i = 0;
    if (!quote && blockIndent >= 0) {
      let indent = 0;
      while (line[indent] === ' ') indent++;
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (quote) {
      const content = line.replace(/\r$/, '');
      if (/^(---|\.\.\.)(\s|$)/.test(content)) return undefined;
      let indent = 0;
      while (line[indent] === ' ') indent++;
      if (content.trim() !== '' && indent <= parentIndent) {
        const add = parentIndent + 1 - indent;
        line = ' '.repeat(add) + line;
        lines[li] = line;
        shift.set(li + 1, add);
      }
    } else {
      parentIndent = keyColumn(line);
    }
    // Scan the line for quoted scalars (and comments, outside them).
    let prev = ''; // last non-space character outside a scalar on this line
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote === "'") {
        if (c === "'") {
          if (line[i + 1] === "'") i++;
          else {
            quote = undefined;
            prev = c;
          }
        }
        continue;
      }
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') {
          quote = undefined;
          prev = c;
        }
        continue;
      }
      if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      if ((c === "'" || c === '"') && (prev === '' || OPENERS.has(prev))) {
        quote = c;
        continue;
      }
      if (c !== ' ' && c !== '\t' && c !== '\r') prev = c;
    }
    if (!quote && /(^|[:-]\s+)[|>][-+0-9]*\s*(#.*)?\r?$/.test(line)) blockIndent = keyColumn(line);
  }
  if (quote || shift.size === 0) return undefined;
  return { text: lines.join('\n'), shift };
}
