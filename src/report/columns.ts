/** Column output for the list-shaped commands (status, nads, probe, cleanup). */
import Table from 'cli-table3';

// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/** kubectl-style output: a bordered table on a TTY, space-aligned columns otherwise. Cells must be escaped already. */
export function renderColumns(head: string[], rows: string[][], tty: boolean): string {
  if (tty) {
    const t = new Table({ head, style: { head: [], border: [] } });
    for (const r of rows) t.push(r);
    return t.toString() + '\n';
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i]!))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! + 3 - visible(c)))))
      .join('')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
