import { defineCheck, type Finding } from '../types.js';
import { couldNotVerify, finding, listNames } from '../helpers.js';
import { installMultusFix } from './lib/fixes.js';

const CLUSTER = { kind: 'Cluster', name: 'cluster' };

/**
 * No multus DaemonSet anywhere. Only judged when the install search ran (`snapshot.multus` is
 * set); a DaemonSet whose image says multus but that the collector did not classify counts as
 * installed, so a collector gap never turns into "not installed".
 */
export const multusNotInstalled = defineCheck(
  {
    id: 'multus-not-installed',
    title: 'Multus is not installed',
    severity: 'error',
    category: 'install',
    scope: 'cluster',
    distributions: 'all',
    doc: 'Without a multus DaemonSet nothing reads the k8s.v1.cni.cncf.io/networks annotation: pods start with only their primary interface and no error anywhere.',
  },
  (a) => {
    const meta = multusNotInstalled.meta;
    const s = a.snapshot;
    const failed = [...a.errorsFor('multus'), ...a.errorsFor('daemonsets')];
    if (s.multus === undefined) {
      return failed.length
        ? [couldNotVerify(meta, CLUSTER, `the search for multus DaemonSets failed: ${failed[0]!.message}`)]
        : [];
    }
    if (s.multus.length > 0) return [];
    if ((s.daemonSets ?? []).some((d) => d.images.some((i) => /multus/i.test(i) && !/dhcp/i.test(i)))) return [];
    if (failed.length)
      return [
        couldNotVerify(
          meta,
          CLUSTER,
          `no multus DaemonSet was found, but the search was incomplete: ${failed[0]!.message}`,
        ),
      ];
    const asking = a.workloads.filter((w) => w.networksValue !== undefined && !w.obj.hostNetwork);
    const out: Finding[] = [];
    out.push(
      finding(
        meta,
        CLUSTER,
        `No multus DaemonSet was found in any namespace${
          asking.length
            ? `, yet ${asking.length} pod${asking.length > 1 ? 's/workloads ask' : '/workload asks'} for secondary networks (${listNames(
                asking.map((w) => `${w.namespace}/${w.obj.name}`),
                3,
              )})`
            : ''
        }: the networks annotation is ignored and pods get only their primary interface.`,
        asking
          .slice(0, 5)
          .map((w) => ({ ...w.annotationEvidence(), label: `${w.obj.kind} ${w.namespace}/${w.obj.name}` })),
        installMultusFix(a),
      ),
    );
    return out;
  },
);
