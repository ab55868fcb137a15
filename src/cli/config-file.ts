/**
 * `.kubectl-multus.yaml`: team-wide suppressions and the failure threshold, so CI configs do not
 * have to repeat flags. Looked up with --config, else in the current directory.
 *
 *   ignore: [nad-ipam-missing]
 *   failOn: warning
 *   objects:
 *     - {kind: NetworkAttachmentDefinition, namespace: lab, name: scratch, ignore: [nad-master-unset]}
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from './exit.js';
import type { FailOn } from '../engine.js';

export interface ToolConfig {
  ignore: string[];
  failOn?: FailOn;
  objects: Array<{ kind?: string; namespace?: string; name: string; ids: string[] }>;
  path?: string;
}

const CONFIG_FILE_NAME = '.kubectl-multus.yaml';

export function loadToolConfig(explicit: string | undefined, cwd: string): ToolConfig {
  const path = explicit ?? join(cwd, CONFIG_FILE_NAME);
  if (!explicit && !existsSync(path)) return { ignore: [], objects: [] };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`config file ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) return { ignore: [], objects: [], path };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`config file ${path}: must be a YAML map`);
  const r = raw as Record<string, unknown>;
  const strs = (v: unknown, what: string): string[] => {
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    if (typeof v === 'string')
      return v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    throw new UsageError(`config file ${path}: ${what} must be a list of check ids`);
  };
  const failOn = r['failOn'];
  if (failOn !== undefined && !['error', 'warning', 'info', 'never'].includes(String(failOn))) {
    throw new UsageError(`config file ${path}: failOn must be error, warning, info or never`);
  }
  const objects: ToolConfig['objects'] = [];
  if (r['objects'] !== undefined) {
    if (!Array.isArray(r['objects'])) throw new UsageError(`config file ${path}: objects must be a list`);
    for (const o of r['objects'] as unknown[]) {
      if (!o || typeof o !== 'object' || typeof (o as Record<string, unknown>)['name'] !== 'string') {
        throw new UsageError(`config file ${path}: every entry of objects needs a name`);
      }
      const x = o as Record<string, unknown>;
      objects.push({
        kind: typeof x['kind'] === 'string' ? x['kind'] : undefined,
        namespace: typeof x['namespace'] === 'string' ? x['namespace'] : undefined,
        name: x['name'] as string,
        ids: strs(x['ignore'], 'objects[].ignore'),
      });
    }
  }
  return { ignore: strs(r['ignore'], 'ignore'), failOn: failOn as FailOn | undefined, objects, path };
}
