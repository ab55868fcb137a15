import { defineCheck, type Finding } from '../types.js';
import { couldNotVerify, finding, listNames } from '../helpers.js';
import type { Analysis } from '../analysis.js';
import {
  failedInspections,
  judgeable,
  judgeableNads,
  masterInContainer,
  masterOf,
  pluginEvidence,
  pluginLabel,
  usesOf,
} from './lib/common.js';
import { haveInterfaceFacts, lookupMaster } from './lib/host-interfaces.js';

function fixFor(a: Analysis, field: string, name: string): string {
  const generic = `Use an interface name that exists on every node that runs these pods (\`ip -br link\` on each node), make the name consistent (udev/netplan rename, or a bond/VLAN with the same name everywhere), or pin the pods with a nodeSelector to the nodes that have ${name}.`;
  switch (a.distribution) {
    case 'kind':
      return `kind nodes are containers with only eth0: attach a second Docker network to every node container (\`docker network create lan && docker network connect lan <node>\`), which appears as eth1, and set "${field}": "eth1". ${generic}`;
    case 'openshift':
      return `OpenShift: create ${name} with a NodeNetworkConfigurationPolicy (kubernetes-nmstate) on the nodes that need it, or point "${field}" at an existing interface. ${generic}`;
    case 'microk8s':
      return `MicroK8s on Raspberry Pi/Ubuntu often names the NIC end0 or enp*, not eth0. ${generic}`;
    default:
      return generic;
  }
}

/**
 * The master (macvlan/ipvlan/vlan) or device (host-device) must exist on the node where the pod
 * lands; multus reports `failed to lookup master "eth1": Link not found`. Judged only from
 * collected host interfaces: silent offline. A host-device that a running pod of this NAD holds
 * has left the host namespace, so its absence there is expected.
 */
export const nadMasterMissing = defineCheck(
  {
    id: 'nad-master-missing',
    title: 'master interface missing on nodes',
    severity: 'error',
    category: 'nad',
    scope: 'objects',
    distributions: 'all',
    doc: 'macvlan, ipvlan and vlan create a child of the "master" interface, and host-device moves "device" into the pod. When that interface does not exist on the node the pod lands on, the pod stays in ContainerCreating with `failed to lookup master "<name>": Link not found`. Interface names often differ between nodes (eth1 vs ens4 vs end0).',
  },
  (a) => {
    const meta = nadMasterMissing.meta;
    const out: Finding[] = [];
    if (!haveInterfaceFacts(a)) return out; // nothing known about host interfaces (offline lint)
    let anyMaster = false;
    for (const { nad, cfg } of judgeableNads(a)) {
      for (const plugin of cfg.plugins) {
        const m = masterOf(plugin);
        if (!m || !judgeable(m.value) || masterInContainer(plugin)) continue;
        anyMaster = true;
        const name = m.value;
        const look = lookupMaster(a, name);
        let missing = look.missing;
        if (plugin.type === 'host-device') {
          // A device in use by a pod of this NAD is inside that pod, not on the host.
          const busy = new Set(
            usesOf(a, nad)
              .map((u) => u.workload.obj.nodeName)
              .filter((x): x is string => !!x),
          );
          missing = missing.filter((n) => !busy.has(n.name));
        }
        if (missing.length === 0) continue;
        const ev = pluginEvidence(nad, cfg, plugin, [m.key!], name);
        const lacking = missing.map((n) => n.name);
        const evidence = [
          ev,
          ...missing.slice(0, 5).map((n) => ({
            node: n.name,
            label: 'host interfaces',
            value: (n.node.inspection?.interfaces ?? []).map((i) => i.name).join(' '),
          })),
        ];
        if (look.found.length === 0) {
          const unk = look.unknown.length
            ? ` (interfaces of ${listNames(look.unknown.map((n) => n.name))} were not collected)`
            : '';
          out.push(
            finding(
              meta,
              nad.subject,
              `${pluginLabel(cfg, plugin)} uses ${m.field} "${name}", which is not an interface on ${listNames(lacking)}${unk}: pods there fail with failed to lookup master "${name}": Link not found.`,
              evidence,
              fixFor(a, m.field, name),
            ),
          );
        } else {
          out.push(
            finding(
              meta,
              nad.subject,
              `${m.field} "${name}" exists on ${listNames(look.found.map((f) => f.node.name))} but not on ${listNames(lacking)}: pods scheduled there fail with failed to lookup master "${name}": Link not found.`,
              evidence,
              fixFor(a, m.field, name),
              'warning',
            ),
          );
        }
      }
    }
    const failed = failedInspections(a);
    if (anyMaster && failed.length) {
      out.push(
        couldNotVerify(
          meta,
          { kind: 'Node', name: failed[0]!.name, node: failed[0]!.name },
          `host interfaces of ${listNames(failed.map((n) => n.name))} could not be read (${failed[0]!.inspectionError})`,
        ),
      );
    }
    return out;
  },
);
