import { defineCheck, type Evidence, type Finding } from '../types.js';
import { finding, listNames } from '../helpers.js';
import { multusKey, multusPlugin } from '../../model/multus-conf.js';
import { installFacts } from '../../model/multus-install.js';
import { kubeconfigTokenExp } from '../../model/jwt.js';
import { dsSubject } from '../../model/install-nodes.js';
import { tokenRefreshFix } from './lib/fixes.js';

function iso(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Thin multus writes its service-account token into multus.d/multus.kubeconfig when it starts and
 * refreshes it only in the watch loop that --cleanup-config-on-exit=true enables. Bound tokens
 * expire (one hour on hardened clusters, about a year otherwise); then every pod with a secondary
 * network fails with "Unauthorized". Only the token's `exp` is read, never the token. "Now" is the
 * snapshot's collection time, so the check stays pure.
 */
export const multusKubeconfigTokenExpired = defineCheck(
  {
    id: 'multus-kubeconfig-token-expired',
    title: 'The multus kubeconfig token has expired or will not be refreshed',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'The thin plugin copies its service-account token into multus.kubeconfig once. Without --cleanup-config-on-exit=true nothing refreshes it, and when it expires (1 h with --service-account-extend-token-expiration=false, ~1 year otherwise) pods fail with "error getting pod: Unauthorized".',
  },
  (a) => {
    const meta = multusKubeconfigTokenExpired.meta;
    const out: Finding[] = [];
    const now = a.snapshot.collectedAt ? Date.parse(a.snapshot.collectedAt) / 1000 : NaN;
    const expired: Array<{ node: string; path: string; exp: number }> = [];
    let nextExp: number | undefined;
    for (const n of a.nodes) {
      if (!n.inspected || multusPlugin(n.multusConf?.config)?.type !== 'multus') continue;
      const kc = multusKey(n.multusConf!.config, 'kubeconfig');
      const file = kc ? n.node.inspection?.files[kc] : undefined;
      const exp = file?.jwtExp ?? (file?.content ? kubeconfigTokenExp(file.content) : undefined);
      if (exp === undefined || Number.isNaN(now)) continue;
      if (exp <= now) expired.push({ node: n.name, path: kc!, exp });
      else nextExp = nextExp === undefined ? exp : Math.min(nextExp, exp);
    }
    const m = a.multus.find((x) => installFacts(x).mode === 'thin') ?? a.multus[0];
    if (expired.length) {
      out.push(
        finding(
          meta,
          m ? dsSubject(m) : { kind: 'Cluster', name: 'nodes' },
          `The token in ${expired[0]!.path} expired (${iso(expired[0]!.exp)}, before this snapshot was taken) on ${listNames(expired.map((e) => e.node))}: multus gets "Unauthorized" for every pod with a secondary network.`,
          expired.slice(0, 5).map((e) => ({ node: e.node, path: e.path, label: 'token exp', value: iso(e.exp) })),
          m ? tokenRefreshFix(a, m) : 'Restart the multus pods so they write a fresh token.',
        ),
      );
    }
    for (const x of a.multus) {
      const f = installFacts(x);
      if (f.mode !== 'thin' || !f.auto || !f.thin) continue;
      if (f.thin.cleanupConfigOnExit && !f.thin.skipConfigWatch) continue;
      if (expired.length && x === m) continue; // the error above already carries the fix
      const evidence: Evidence[] = [{ label: 'args', value: x.args.join(' ') || '(none)' }];
      if (nextExp !== undefined) evidence.push({ label: 'current token expires', value: iso(nextExp) });
      out.push(
        finding(
          meta,
          dsSubject(x),
          `${x.name} runs the thin plugin without ${f.thin.skipConfigWatch ? 'its config watch (--skip-config-watch)' : '--cleanup-config-on-exit=true'}, so the token it wrote into multus.kubeconfig is never refreshed${nextExp !== undefined ? ` (the current one expires ${iso(nextExp)})` : ''}: when it expires every pod with a secondary network fails with "Unauthorized".`,
          evidence,
          tokenRefreshFix(a, x),
          'warning',
        ),
      );
    }
    return out;
  },
);
