import { defineCheck, type Evidence, type Finding, type Subject } from '../types.js';
import { finding, listNames, nodesNotVerified, runsAnyway } from '../helpers.js';
import { attachedNadsByNode } from '../../model/multus-runs.js';
import type { NodeView } from '../analysis.js';
import { locate } from '../../model/cni-config.js';
import { multusKey, multusPlugin } from '../../model/multus-conf.js';
import { dirName, installFacts, joinPath, normPath } from '../../model/multus-install.js';
import { dsSubject } from '../../model/install-nodes.js';
import { listingText, presence } from '../../model/node-files.js';
import { dirsFix, restartMultus } from './lib/fixes.js';

/**
 * The thin multus binary runs on the host and reads the kubeconfig named in its config; the
 * default (/etc/cni/net.d/multus.d/multus.kubeconfig) does not exist where the conf dir is
 * elsewhere (K3s, MicroK8s). Pods then fail with "GetK8sClient: failed to get context for the
 * kubeconfig …: no such file or directory".
 */
export const multusKubeconfigMissing = defineCheck(
  {
    id: 'multus-kubeconfig-missing',
    title: 'The kubeconfig named in the multus config does not exist',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Thin multus reads NetworkAttachmentDefinitions with the kubeconfig named in its config. If that host path does not exist (the default /etc/cni/net.d/multus.d/multus.kubeconfig on K3s), every pod with a secondary network fails in ContainerCreating.',
  },
  (a) => {
    const meta = multusKubeconfigMissing.meta;
    const missing: Array<{ n: NodeView; kc: string; file: string; line?: number; column?: number }> = [];
    const unknown: NodeView[] = [];
    const works: NodeView[] = [];
    // A pod on the node got a NAD's interface after multus started: multus read the NAD, so its kubeconfig works.
    const attached = attachedNadsByNode(a.snapshot);
    for (const n of a.nodes) {
      if (!n.inspected) continue;
      const conf = n.multusConf;
      if (!conf?.config || multusPlugin(conf.config)?.type !== 'multus') continue;
      const kc = multusKey(conf.config, 'kubeconfig');
      if (!kc) continue;
      const state = presence(n.node.inspection, kc);
      if (state === 'unknown') unknown.push(n);
      if (state !== 'absent') continue;
      if (attached.get(n.name)?.size) {
        works.push(n);
        continue;
      }
      const p = multusPlugin(conf.config)!;
      const pos = locate(conf.config.parsed, [...p.path, 'kubeconfig']);
      missing.push({ n, kc, file: conf.path, line: pos?.line, column: pos?.column });
    }
    const out: Finding[] = [];
    if (missing.length) {
      const m = a.multus[0];
      const subject: Subject = m ? dsSubject(m) : { kind: 'Cluster', name: 'nodes' };
      const evidence: Evidence[] = [];
      for (const x of missing.slice(0, 5)) {
        evidence.push({
          node: x.n.name,
          path: x.file,
          line: x.line,
          column: x.column,
          value: `"kubeconfig": "${x.kc}"`,
        });
        evidence.push({
          node: x.n.name,
          path: dirName(x.kc),
          label: 'directory',
          value: listingText(x.n.node.inspection, dirName(x.kc)),
        });
        // Where the entrypoint did write it: <its conf dir>/multus.d/multus.kubeconfig.
        const written = m && installFacts(m).writeDir.host;
        const actual = written ? joinPath(written, 'multus.d/multus.kubeconfig') : undefined;
        if (actual && normPath(actual) !== normPath(x.kc) && presence(x.n.node.inspection, actual) === 'present') {
          evidence.push({ node: x.n.name, path: actual, label: 'the kubeconfig is here instead' });
        }
      }
      for (const e of (a.snapshot.events ?? [])
        .filter((e) => /failed to get context for the kubeconfig/.test(e.message))
        .slice(0, 2)) {
        evidence.push({
          label: `event ${e.reason} ${e.involvedObject.namespace ?? ''}/${e.involvedObject.name}`,
          value: e.message,
        });
      }
      const kcs = [...new Set(missing.map((x) => x.kc))];
      // Where the entrypoint writes it: when the config already names that path, the file was just never written.
      const f = m && installFacts(m);
      const expected = f?.writeDir.host && joinPath(f.writeDir.host, 'multus.d/multus.kubeconfig');
      const rightPath = !!expected && kcs.every((k) => normPath(k) === normPath(expected));
      const fix = !m
        ? `Point "kubeconfig" at ${joinPath(a.paths.confDir, 'multus.d/multus.kubeconfig')}.`
        : rightPath
          ? `The path is the one multus writes to, but the file is not there: the multus pod on ${listNames(
              missing.map((x) => x.n.name),
              3,
            )} has not written it (see multus-pods-not-ready), or something removed it. Restart multus: ${restartMultus(m)}`
          : dirsFix(a, m, { kubeconfig: true });
      out.push(
        finding(
          meta,
          subject,
          `The multus config names kubeconfig ${listNames(kcs)}, which does not exist on ${listNames(missing.map((x) => x.n.name))}: multus cannot read NetworkAttachmentDefinitions, so pods with secondary networks fail ("GetK8sClient: failed to get context for the kubeconfig").`,
          evidence,
          fix,
        ),
      );
    }
    if (works.length) {
      const m = a.multus[0];
      out.push(
        runsAnyway(
          meta,
          m ? dsSubject(m) : { kind: 'Cluster', name: 'nodes' },
          works.map((n) => ({
            name: n.name,
            multusRuns: {
              summary: `pods there got interfaces from ${listNames([...attached.get(n.name)!], 3)}`,
              evidence: [
                {
                  node: n.name,
                  label: 'network-status',
                  value: `NADs attached: ${listNames([...attached.get(n.name)!], 3)}`,
                },
              ],
            },
          })),
          `The multus config names a kubeconfig that was not found on ${listNames(works.map((n) => n.name))}`,
          works[0]!.multusConf?.path,
        ),
      );
    }
    out.push(...nodesNotVerified(meta, unknown, 'whether the kubeconfig named in the multus config exists'));
    return out;
  },
);
