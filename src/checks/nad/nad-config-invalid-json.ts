import { defineCheck } from '../types.js';
import { finding } from '../helpers.js';

/**
 * spec.config must be strict JSON: multus decodes it with Go's encoding/json, which rejects
 * comments and trailing commas that many editors accept. We report the first problem with its
 * line:column in the file (lint) or inside spec.config (cluster).
 */
export const nadConfigInvalidJson = defineCheck(
  {
    id: 'nad-config-invalid-json',
    title: 'spec.config is not valid JSON',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: "Multus parses a NetworkAttachmentDefinition's spec.config with a strict JSON decoder when a pod asks for it; any syntax error (a missing comma, a comment, a trailing comma, an empty string) makes every pod using the NAD fail in ContainerCreating.",
  },
  (a) => {
    const out = [];
    for (const nad of a.nads) {
      if (nad.obj.configNotString) {
        out.push(
          finding(
            nadConfigInvalidJson.meta,
            nad.subject,
            `spec.config is a YAML ${nad.obj.configNotString}, not a string: the CRD requires the CNI configuration as a JSON string.`,
            [nad.at(undefined, `spec.config: <${nad.obj.configNotString}>`)],
            'Write the configuration as a string, e.g.\n  spec:\n    config: |\n      { "cniVersion": "0.3.1", "type": "macvlan", ... }',
          ),
        );
        continue;
      }
      const cfg = nad.config;
      if (!cfg) continue;
      const problem = cfg.parsed.problems[0];
      if (!problem) {
        if (!cfg.ok) {
          out.push(
            finding(
              nadConfigInvalidJson.meta,
              nad.subject,
              'spec.config is valid JSON but not an object: a CNI configuration is a JSON object ({...}).',
              [nad.at(undefined, cfg.parsed.text.slice(0, 80))],
              'Wrap the configuration in { } with at least "cniVersion", "name" and "type".',
            ),
          );
        }
        continue;
      }
      const more =
        cfg.parsed.problems.length > 1
          ? ` (${cfg.parsed.problems.length - 1} more problem${cfg.parsed.problems.length > 2 ? 's' : ''} after it)`
          : '';
      // Show the text around the problem, not the whole (possibly folded, one-line) config.
      const t = cfg.parsed.text;
      const snippet = `${problem.offset > 30 ? '…' : ''}${t.slice(Math.max(0, problem.offset - 30), problem.offset + 30).replace(/\s+/g, ' ')}${problem.offset + 30 < t.length ? '…' : ''}`;
      out.push(
        finding(
          nadConfigInvalidJson.meta,
          nad.subject,
          `spec.config is not valid JSON: ${problem.message}${more}.`,
          [nad.at(problem, snippet)],
          problem.kind === 'strict'
            ? 'Remove comments and trailing commas: CNI reads strict JSON. Check with `kubectl multus lint -f FILE` before applying.'
            : 'Fix the JSON at that position (a missing comma or quote is the usual cause), then re-apply; pods stuck in ContainerCreating retry on their own.',
        ),
      );
    }
    return out;
  },
);
