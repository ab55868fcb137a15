/**
 * SARIF 2.1.0 for GitHub code scanning (`lint -o sarif`). Every rule of the registry is listed
 * with its help text so that alerts explain themselves; `results` is always present.
 */
import type { Check, Finding, Severity } from '../checks/types.js';
import type { CollectionError } from '../snapshot/types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const HELP_BASE = 'https://github.com/kubectl-multus/kubectl-multus/blob/main/docs/checks/';

function toUri(path: string, cwd: string): string {
  let p = path;
  if (p.startsWith(cwd + '/')) p = p.slice(cwd.length + 1);
  // SARIF wants URIs: forward slashes, percent-encoded specials.
  return p
    .split(/[\\/]/)
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export function renderSarif(
  findings: Finding[],
  errors: CollectionError[],
  checks: Check[],
  version: string,
  cwd: string = process.cwd(),
): string {
  const rules = checks.map((c) => ({
    id: c.meta.id,
    name: c.meta.id
      .split('-')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: c.meta.title },
    fullDescription: { text: c.meta.doc },
    helpUri: `${HELP_BASE}${c.meta.id}.md`,
    help: {
      text: `${c.meta.doc}\nRun \`kubectl multus explain ${c.meta.id}\` for the fix per distribution.`,
      markdown: `${c.meta.doc}\n\nRun \`kubectl multus explain ${c.meta.id}\` for the fix per distribution.`,
    },
    defaultConfiguration: { level: LEVEL[c.meta.severity] },
    properties: { tags: ['multus', c.meta.category] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = findings.map((f) => {
    const loc = f.evidence.find((e) => e.path && e.line !== undefined) ?? f.evidence.find((e) => e.path);
    const result: Record<string, unknown> = {
      ruleId: f.id,
      level: LEVEL[f.severity],
      message: { text: `${f.message}${f.fix ? `\nFix: ${f.fix}` : ''}` },
      locations: loc?.path
        ? [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(loc.path, cwd) },
                region: {
                  startLine: Math.max(1, loc.line ?? 1),
                  ...(loc.column ? { startColumn: Math.max(1, loc.column) } : {}),
                },
              },
              logicalLocations: [
                {
                  name: f.subject.name,
                  kind: 'object',
                  fullyQualifiedName: `${f.subject.kind}/${f.subject.namespace ? f.subject.namespace + '/' : ''}${f.subject.name}`,
                },
              ],
            },
          ]
        : [],
      partialFingerprints: {
        'kubectlMultus/v1': `${f.id}:${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}:${f.message}`,
      },
    };
    const ri = index.get(f.id);
    if (ri !== undefined) result['ruleIndex'] = ri;
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubectl-multus',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/kubectl-multus/kubectl-multus',
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((e) => ({
              level: 'error',
              message: { text: `${e.collector}: ${e.message}` },
            })),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
