/**
 * The layers of src/ hold: every import is allowed by the layer table in docs/architecture.md
 * (this test parses that table, so the doc and the test are one table), and no module imports
 * itself back through a chain of runtime imports.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

interface Import {
  from: string;
  to: string;
  /** `import type` / `export type` / every specifier `type`: erased at runtime. */
  typeOnly: boolean;
}

/** Rows of the `## Layers` table: layer → the layers it may import. */
export function parseLayerTable(markdown: string): Map<string, Set<string>> {
  const start = markdown.indexOf('\n## Layers');
  if (start < 0) throw new Error('docs/architecture.md has no "## Layers" section');
  const lines = markdown.slice(start).split('\n');
  const table = new Map<string, Set<string>>();
  let header: string[] | undefined;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      if (header && table.size) break;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (!header) {
      header = cells;
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c))) continue;
    const layer = cells[header.indexOf('layer')]!.replace(/`/g, '');
    const may = [...cells[header.indexOf('may import')]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    table.set(layer, new Set(may));
  }
  return table;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The layer of a file under src/: its top folder, or the file's own name for src/engine.ts and src/version.ts. */
export function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? parts[0]!.replace(/\.ts$/, '') : parts[0]!;
}

/** Relative imports of one file: static, re-exports and dynamic `import()`. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    out.push({ from: file, to: resolve(dirname(file), spec).replace(/\.js$/, '.ts'), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly =
        !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(
        node.moduleSpecifier.text,
        node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)),
      );
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * Every import cycle, each as `a.ts -> b.ts -> a.ts`. Type-only imports count too: they vanish at
 * runtime, but a cycle of types still means two modules that cannot be read (or moved) apart.
 */
export function cyclesOf(edges: Import[]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open')
        cycles.push([...stack.slice(stack.indexOf(m)), m].map((f) => relative(SRC, f)).join(' -> '));
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

/** Imports the table does not allow, as `from.ts -> to.ts (a may not import b)`. */
export function illegalImports(edges: Import[], table: Map<string, Set<string>>): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const [a, b] = [layerOf(e.from), layerOf(e.to)];
    const where = `${relative(SRC, e.from)} -> ${relative(SRC, e.to)}`;
    if (!table.has(a)) bad.push(`${where} (layer '${a}' is not in the table)`);
    else if (!table.has(b)) bad.push(`${where} (layer '${b}' is not in the table)`);
    else if (a !== b && !table.get(a)!.has(b)) bad.push(`${where} (${a} may not import ${b})`);
  }
  return bad;
}

const table = parseLayerTable(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8'));
const files = sourceFiles(SRC);
const edges = files.flatMap((f) => importsOf(f));

describe('architecture: the layer table of docs/architecture.md', () => {
  it('lists every folder of src/ and names only layers it lists', () => {
    expect([...new Set(files.map(layerOf))].filter((l) => !table.has(l))).toEqual([]);
    for (const [layer, may] of table) expect([layer, [...may].filter((l) => !table.has(l))]).toEqual([layer, []]);
  });

  it('allows every import in src/', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(illegalImports(edges, table)).toEqual([]);
  });

  it('has no import cycle in src/', () => {
    expect(cyclesOf(edges)).toEqual([]);
  });

  it('nothing imports cli/, and model/ imports nothing from checks/', () => {
    expect([...table].filter(([, may]) => may.has('cli')).map(([l]) => l)).toEqual([]);
    expect(table.get('model')!.has('checks')).toBe(false);
  });

  it('imports chalk and cli-table3 only under src/report/ (one output path)', () => {
    const painters = files.filter((f) => /from ['"](chalk|cli-table3)['"]/.test(readFileSync(f, 'utf8')));
    expect(painters.length).toBeGreaterThan(0);
    expect(painters.map((f) => relative(SRC, f)).filter((f) => layerOf(join(SRC, f)) !== 'report')).toEqual([]);
  });

  it('catches an illegal import and a cycle (the checker itself can fail)', () => {
    const probeFile = join(SRC, 'probe/x.ts');
    const cliFile = join(SRC, 'cli/y.ts');
    const bad = importsOf(probeFile, "import { io } from '../cli/y.js';\nconst m = await import('../cli/y.js');");
    expect(illegalImports(bad, table)).toEqual([
      'probe/x.ts -> cli/y.ts (probe may not import cli)',
      'probe/x.ts -> cli/y.ts (probe may not import cli)',
    ]);
    const back = importsOf(cliFile, "import { x } from '../probe/x.js';");
    expect(cyclesOf([...bad, ...back])).toEqual(['cli/y.ts -> probe/x.ts -> cli/y.ts']);
    const typeOnly = importsOf(
      cliFile,
      "import type { X } from '../probe/x.js';\nimport { type Y } from '../probe/x.js';",
    );
    expect(typeOnly.map((e) => e.typeOnly)).toEqual([true, true]);
    expect(cyclesOf([...bad, ...typeOnly])).toEqual(['cli/y.ts -> probe/x.ts -> cli/y.ts']);
  });
});
