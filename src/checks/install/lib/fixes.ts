/**
 * The install group's fixes module: the distribution-specific fix texts its checks share (install
 * commands, the DaemonSet patch or Helm values that point multus at the runtime's directories,
 * plugin installation, and the smaller one-liners). Each function returns text a person can paste;
 * paths come from the nodes' runtime config when it was read, else from the distribution defaults
 * (§B.1, §B.3). Names and paths taken from the cluster are shell-quoted before they go into a command.
 */
import type { MultusInstall } from '../../../snapshot/types.js';
import type { Analysis } from '../../analysis.js';
import { isK3sVersionedBinDir } from '../../../model/distributions.js';
import {
  baseName,
  dirName,
  installFacts,
  joinPath,
  mountFor,
  normPath,
  THIN_DEFAULT_KUBECONFIG,
  toContainer,
  type InstallFacts,
} from '../../../model/multus-install.js';
import { pluginSource, REFERENCE_PLUGINS } from '../../../model/plugin-packages.js';
import { shellQuote } from '../../../model/shell.js';

const UPSTREAM = 'https://raw.githubusercontent.com/k8snetworkplumbingwg/multus-cni/master/deployments';
const PLUGINS_RELEASE = 'https://github.com/containernetworking/plugins/releases';

export function restartMultus(m: MultusInstall): string {
  return `kubectl -n ${shellQuote(m.namespace)} rollout restart ds/${shellQuote(m.name)}`;
}

function mostCommon(values: string[]): string | undefined {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
}

interface TargetDirs {
  confDir: string;
  binDir: string;
  kubeconfig: string;
  /** True when the dirs come from the nodes' runtime config, false for distribution defaults. */
  fromNodes: boolean;
  /** Set when the runtime uses K3s's versioned bin dir (K3s before the Oct-2024 releases). */
  oldK3s?: boolean;
}

/** The conf/bin dirs multus should use: what the nodes' runtime reads, else the distribution default. */
export function targetDirs(a: Analysis): TargetDirs {
  const read = a.nodes.filter((n) => n.confDirSource === 'runtime-config');
  const confDir = normPath(mostCommon(read.map((n) => n.confDir)) ?? a.paths.confDir);
  let binDir = normPath(mostCommon(read.map((n) => n.binDirs[0] ?? '').filter(Boolean)) ?? a.paths.recommendedBinDir);
  let oldK3s = false;
  if (isK3sVersionedBinDir(binDir)) {
    // Old K3s: the runtime's dir changes with every upgrade; `current/bin` follows it.
    binDir = '/var/lib/rancher/k3s/data/current/bin';
    oldK3s = true;
  }
  return {
    confDir,
    binDir,
    kubeconfig: joinPath(confDir, 'multus.d/multus.kubeconfig'),
    fromNodes: read.length > 0,
    oldK3s,
  };
}

// ------------------------------------------------------------------ installing

export function installMultusFix(a: Analysis): string {
  switch (a.distribution) {
    case 'k3s':
      return [
        'Install the rke2-multus chart with K3s paths (docs.k3s.io/networking/multus-ipams):',
        '  helm repo add rke2-charts https://rke2-charts.rancher.io && helm repo update',
        '  helm install multus rke2-charts/rke2-multus -n kube-system -f multus-values.yaml',
        '# multus-values.yaml',
        chartValues(targetDirs(a), 'thin'),
      ].join('\n');
    case 'rke2':
      return 'Enable the bundled chart: in /etc/rancher/rke2/config.yaml on every server put multus first, e.g.\n  cni:\n  - multus\n  - canal\nthen `systemctl restart rke2-server`.';
    case 'microk8s':
      return 'microk8s enable community && microk8s enable multus\n(the addon ships multus v3.9, which cannot handle cniVersion 1.0.0 configs; for v4 apply the upstream manifest with the MicroK8s paths /var/snap/microk8s/current/args/cni-network and /var/snap/microk8s/current/opt/cni/bin).';
    case 'openshift':
      return 'Multus is part of OpenShift networking; it is absent only when multi-network is disabled:\n  oc get network.operator cluster -o jsonpath=\'{.spec.disableMultiNetwork}\'\n  oc patch network.operator cluster --type=merge -p \'{"spec":{"disableMultiNetwork":false}}\'';
    case 'kind':
      return `kubectl apply -f ${UPSTREAM}/multus-daemonset-thick.yml\n(pin a release tag instead of master for anything lasting). kind nodes carry only the plugins kindnet needs: copy the reference plugins (${PLUGINS_RELEASE}) into /opt/cni/bin of every node container.`;
    default:
      return `kubectl apply -f ${UPSTREAM}/multus-daemonset-thick.yml\n(or multus-daemonset.yml for the thin plugin; pin a release tag instead of master). Multus does not ship the reference plugins (macvlan, ipvlan, bridge, …): install ${PLUGINS_RELEASE} into /opt/cni/bin on every node.`;
  }
}

export function nadCrdFix(a: Analysis): string {
  const crd =
    'kubectl apply -f https://raw.githubusercontent.com/k8snetworkplumbingwg/network-attachment-definition-client/master/artifacts/networks-crd.yaml';
  switch (a.distribution) {
    case 'rke2':
      return `RKE2 installs the CRD with the bundled chart (newer charts ship it as the separate rke2-multus-crd chart): keep \`multus\` in \`cni:\` of /etc/rancher/rke2/config.yaml and check \`kubectl -n kube-system get helmchart\`. Or apply it directly:\n  ${crd}`;
    case 'k3s':
      return `The rke2-multus chart ships the CRD in crds/ (skipped with --skip-crds, and never upgraded by Helm). Apply it directly:\n  ${crd}`;
    case 'openshift':
      return 'The Cluster Network Operator owns this CRD; it is missing only when multi-network is disabled (`oc get network.operator cluster -o yaml`, spec.disableMultiNetwork).';
    default:
      return `${crd}\n(the upstream multus manifests contain the same CRD).`;
  }
}

// ------------------------------------------------------------------ pointing multus at the runtime's dirs

interface DirChange {
  conf?: boolean;
  bin?: boolean;
  kubeconfig?: boolean;
}

interface Op {
  op: 'replace' | 'add';
  path: string;
  value: string;
}

function volumeIndex(m: MultusInstall, name: string | undefined, fallback: number): { i: number; known: boolean } {
  const i = name && m.volumes ? m.volumes.findIndex((v) => v.name === name) : -1;
  return i >= 0 ? { i, known: true } : { i: fallback, known: false };
}

/** JSON-patch operations (RFC 6902) on the DaemonSet for an upstream-style manifest. */
function dirOps(f: InstallFacts, t: TargetDirs, change: DirChange): { ops: Op[]; guessed: boolean } {
  const m = f.m;
  const ci = m.containerIndex ?? 0;
  const ops: Op[] = [];
  let guessed = false;
  if (change.conf) {
    const vol = mountFor(m, f.writeDir.container)?.volume ?? 'cni';
    const { i, known } = volumeIndex(m, vol, 0);
    guessed ||= !known;
    ops.push({ op: 'replace', path: `/spec/template/spec/volumes/${i}/hostPath/path`, value: t.confDir });
  }
  if (change.bin) {
    const vol = m.mounts.find((x) => x.volume === 'cnibin')?.volume ?? 'cnibin';
    const { i, known } = volumeIndex(m, vol, 1);
    guessed ||= !known;
    ops.push({ op: 'replace', path: `/spec/template/spec/volumes/${i}/hostPath/path`, value: t.binDir });
  }
  if (change.kubeconfig && f.mode === 'thin') {
    const flag = f.thin?.flags.get('multus-kubeconfig-file-host');
    const value = `--multus-kubeconfig-file-host=${t.kubeconfig}`;
    if (flag?.argIndex !== undefined)
      ops.push({ op: 'replace', path: `/spec/template/spec/containers/${ci}/args/${flag.argIndex}`, value });
    else if (t.kubeconfig !== THIN_DEFAULT_KUBECONFIG)
      ops.push({ op: 'add', path: `/spec/template/spec/containers/${ci}/args/-`, value });
  }
  return { ops, guessed };
}

function renderPatch(m: MultusInstall, ops: Op[], guessed: boolean): string {
  const lines = [
    '# kustomization.yaml (JSON6902 patch):',
    'patches:',
    `- target: {group: apps, version: v1, kind: DaemonSet, namespace: ${m.namespace}, name: ${m.name}}`,
    '  patch: |-',
    ...ops.flatMap((o) => [`    - op: ${o.op}`, `      path: ${o.path}`, `      value: ${o.value}`]),
    '# or directly:',
    `kubectl -n ${shellQuote(m.namespace)} patch ds ${shellQuote(m.name)} --type=json -p ${shellQuote(JSON.stringify(ops))}`,
  ];
  if (guessed) {
    lines.push(
      `# volume indexes assume the upstream manifest (cni, cnibin first); check with:`,
      `#   kubectl -n ${shellQuote(m.namespace)} get ds ${shellQuote(m.name)} -o jsonpath='{.spec.template.spec.volumes[*].name}'`,
    );
  }
  return lines.join('\n');
}

function chartValues(t: TargetDirs, mode: 'thin' | 'thick'): string {
  if (mode === 'thick') {
    return [
      'thickPlugin:',
      '  enabled: true',
      'config:',
      '  daemon_conf:',
      '    chrootDir: /hostroot',
      `    cniConfigDir: /hostroot${t.confDir}`,
      `    multusAutoconfigDir: /hostroot${t.confDir}`,
      `    binDir: ${t.binDir}   # a host path: delegates run chrooted into /hostroot`,
    ].join('\n');
  }
  return [
    'config:',
    '  cni_conf:',
    `    confDir: ${t.confDir}`,
    `    binDir: ${t.binDir}/`,
    `    kubeconfig: ${t.kubeconfig}`,
    `    multusAutoconfigDir: ${t.confDir}`,
  ].join('\n');
}

const OPENSHIFT_MANAGED =
  "OpenShift's Cluster Network Operator owns the multus DaemonSet and its paths (/etc/kubernetes/cni/net.d, /run/multus/cni/net.d, /var/lib/cni/bin); edits to the DaemonSet are reverted. Inspect `oc get network.operator cluster -o yaml` and `oc -n openshift-multus get ds,cm`; a path mismatch here means something outside the operator changed the node or the DaemonSet.";

/** Point multus's conf dir / bin dir / kubeconfig at what the runtime uses, for this install's kind. */
export function dirsFix(a: Analysis, m: MultusInstall, change: DirChange): string {
  const f = installFacts(m);
  const t = targetDirs(a);
  const where = t.fromNodes ? 'the runtime config on your nodes' : `the ${a.paths.label} default`;
  const head = `Make multus use ${change.conf ? `conf dir ${t.confDir}` : ''}${change.conf && change.bin ? ' and ' : ''}${change.bin ? `bin dir ${t.binDir}` : ''}${!change.conf && !change.bin ? `kubeconfig ${t.kubeconfig}` : ''} (${where}).`;
  const old = t.oldK3s
    ? `\nThis K3s still uses a versioned bin dir; ${t.binDir} follows it, but re-install plugins after each K3s upgrade (or upgrade K3s to ≥ v1.28.15/v1.29.10/v1.30.6/v1.31.2 and use /var/lib/rancher/k3s/data/cni).`
    : '';
  if (m.flavor === 'openshift' || a.distribution === 'openshift') return OPENSHIFT_MANAGED;
  if (m.flavor === 'rke2-chart') {
    const values = chartValues(t, f.mode);
    if (a.distribution === 'rke2') {
      return `${head}\nRKE2: set the chart values with a HelmChartConfig:\napiVersion: helm.cattle.io/v1\nkind: HelmChartConfig\nmetadata:\n  name: rke2-multus\n  namespace: kube-system\nspec:\n  valuesContent: |-\n${values.replace(/^/gm, '    ')}${old}`;
    }
    const thickNote =
      f.mode === 'thick'
        ? "\nThe chart's thick template hard-codes the hostPaths /etc/cni/net.d and /opt/cni/bin (the shim is copied to /opt/cni/bin), so on K3s the thin plugin with the values of `helm show values` `config.cni_conf` is the simpler choice."
        : '';
    return `${head}\nhelm upgrade ${shellQuote(m.name)} rke2-charts/rke2-multus -n ${shellQuote(m.namespace)} --reuse-values -f multus-values.yaml\n# multus-values.yaml\n${values}${thickNote}${old}`;
  }
  if (a.distribution === 'microk8s' && m.flavor !== 'microk8s') {
    const { ops, guessed } = dirOps(f, t, change);
    return `${head}\nThe MicroK8s addon (\`microk8s enable multus\`) already uses these paths; for the upstream manifest patch it:\n${renderPatch(m, ops, guessed)}`;
  }
  const { ops, guessed } = dirOps(f, t, change);
  const lines = [head];
  if (ops.length) lines.push(renderPatch(m, ops, guessed));
  if (f.mode === 'thick' && change.bin) {
    const cm = m.daemonConfig?.source ?? 'the multus-daemon-config ConfigMap';
    lines.push(
      `Thick plugin: also set "binDir": "${t.binDir}" in daemon-config.json (${cm}); with "chrootDir": "/hostroot" (the upstream default) delegates run in the host's root, so binDir is a host path.`,
    );
  }
  if (f.mode === 'thick' && change.conf) {
    lines.push(
      'Keep cniConfigDir/multusAutoconfigDir in daemon-config.json pointing at the mountPath of that volume (/host/etc/cni/net.d upstream).',
    );
  }
  if (change.kubeconfig && f.mode === 'thin' && !ops.some((o) => o.path.includes('/args/'))) {
    lines.push(`The kubeconfig path is set with --multus-kubeconfig-file-host=${t.kubeconfig}.`);
  }
  lines.push(`Then: ${restartMultus(m)}`);
  return lines.join('\n') + old;
}

// ------------------------------------------------------------------ plugins

/** How to get missing plugin binaries into the runtime's bin dir on this distribution. */
export function pluginInstallFix(a: Analysis, types: string[], binDir?: string): string {
  const t = targetDirs(a);
  const dir = binDir ?? t.binDir;
  const ref = types.filter((x) => REFERENCE_PLUGINS.has(x));
  const other = types.filter((x) => !REFERENCE_PLUGINS.has(x));
  const lines: string[] = [];
  if (ref.length) {
    const what = `${ref.join(', ')} ${ref.length > 1 ? 'are' : 'is a'} reference plugin${ref.length > 1 ? 's' : ''} (${PLUGINS_RELEASE})`;
    switch (a.distribution) {
      case 'k3s':
        lines.push(
          `${what}; K3s's own multicall \`cni\` has only bandwidth, bridge, firewall, flannel, host-local, loopback and portmap. Let the rke2-multus chart's cni-plugins init container install them: \`config.cni_conf.binDir: ${dir}/\` (then \`kubectl -n kube-system rollout restart ds/multus\`), or copy a plugins release into ${dir} on every node.`,
        );
        break;
      case 'rke2':
        lines.push(
          `${what}; the rke2-multus pod's cni-plugins init container copies them into ${dir} (all but flannel) — check that init container's log on the node (\`kubectl -n kube-system logs <rke2-multus pod> -c cni-plugins\`) and that \`multus\` is in \`cni:\` of /etc/rancher/rke2/config.yaml.`,
        );
        break;
      case 'openshift':
        lines.push(
          `${what}; OpenShift installs its supported plugins into /var/lib/cni/bin via the multus-additional-cni-plugins DaemonSet (\`oc -n openshift-multus get ds multus-additional-cni-plugins\`); plugins outside that set must be installed by a DaemonSet of yours.`,
        );
        break;
      case 'microk8s':
        lines.push(`${what}; install a plugins release into /var/snap/microk8s/current/opt/cni/bin on every node.`);
        break;
      case 'kind': {
        // Inside sh -c '…': only a plain path may be spliced in.
        const d = /^[\w./-]+$/.test(dir) ? dir : '/opt/cni/bin';
        lines.push(
          `${what}; kind nodes only carry what kindnet needs. For each node: \`docker exec <node> sh -c 'curl -sL ${PLUGINS_RELEASE}/download/v1.6.2/cni-plugins-linux-amd64-v1.6.2.tgz | tar -xz -C ${d}'\` (or bake them into a custom node image).`,
        );
        break;
      }
      default:
        lines.push(
          `${what}; install a release into ${dir} on every node (tarball, distro package \`containernetworking-plugins\`, or a DaemonSet with an init container that copies them).`,
        );
    }
  }
  for (const x of other) lines.push(`${x}: installed by ${pluginSource(x)} into ${dir}.`);
  return lines.join('\n');
}

// ------------------------------------------------------------------ smaller fixes

/** multus v4.0.2 (and v3.x) wrapped its own config: delete it, upgrade, optional init container. */
export function nestedDelegatesFix(a: Analysis, m: MultusInstall, hostFile: string): string {
  // The init container mounts the same volume as multus and removes the file at its in-pod path.
  const inPodDir = toContainer(m, dirName(hostFile));
  const mount = inPodDir ? mountFor(m, inPodDir) : undefined;
  const dir = mount?.mountPath ?? '/host/etc/cni/net.d';
  const vol = mount?.volume ?? 'cni';
  const inPod = joinPath(inPodDir ?? dir, baseName(hostFile));
  const upgrade =
    m.flavor === 'rke2-chart'
      ? `Upgrade the chart (rancher/hardened-multus-cni v4.0.2-build20231009 and later carry the fix; ${a.distribution === 'rke2' ? 'upgrade RKE2' : 'helm upgrade'}).`
      : 'Upgrade multus to v4.1.0 or later (files named 00-multus.conf* are no longer taken as the primary config).';
  const patch = JSON.stringify([
    {
      op: 'add',
      path: '/spec/template/spec/initContainers/-',
      value: {
        name: 'delete-multus-conf-workaround',
        image: 'busybox',
        command: ['rm', '-f', inPod],
        securityContext: { privileged: true },
        volumeMounts: [{ name: vol, mountPath: dir }],
      },
    },
  ]);
  return [
    upgrade,
    `Remove the self-nested file on every node (host path ${hostFile}) and restart multus so it is written afresh:`,
    `  rm -f ${shellQuote(hostFile)}    # on each node`,
    `  ${restartMultus(m)}`,
    'Until you can upgrade, delete it at every multus start with an extra init container (seed workaround), or pin the primary file with --multus-master-cni-file-name=<your primary conflist>:',
    `  kubectl -n ${shellQuote(m.namespace)} patch ds ${shellQuote(m.name)} --type=json -p ${shellQuote(patch)}`,
  ].join('\n');
}

/** The thin entrypoint refreshes the token only in its watch loop. */
export function tokenRefreshFix(a: Analysis, m: MultusInstall): string {
  const restart = `Right now: ${restartMultus(m)} (writes a fresh token).`;
  if (m.flavor === 'rke2-chart') {
    const how =
      a.distribution === 'rke2'
        ? 'HelmChartConfig kube-system/rke2-multus with valuesContent `config: {cni_conf: {cleanupConfigOnExit: true}}` (the default in charts since 2025-11)'
        : '`helm upgrade … --reuse-values --set config.cni_conf.cleanupConfigOnExit=true`';
    return `${restart}\nFor good: ${how}, or switch to the thick plugin, which uses its own in-cluster credentials.`;
  }
  const f = installFacts(m);
  const flag = f.thin?.flags.get('cleanup-config-on-exit');
  const ci = m.containerIndex ?? 0;
  const op =
    flag?.argIndex !== undefined
      ? {
          op: 'replace',
          path: `/spec/template/spec/containers/${ci}/args/${flag.argIndex}`,
          value: '--cleanup-config-on-exit=true',
        }
      : { op: 'add', path: `/spec/template/spec/containers/${ci}/args/-`, value: '--cleanup-config-on-exit=true' };
  return `${restart}\nFor good: run the thin entrypoint with --cleanup-config-on-exit=true (its watch loop rewrites the kubeconfig when the token rotates):\n  kubectl -n ${shellQuote(m.namespace)} patch ds ${shellQuote(m.name)} --type=json -p ${shellQuote(JSON.stringify([op]))}\nor switch to the thick plugin (${UPSTREAM}/multus-daemonset-thick.yml).`;
}

export function memoryLimitFix(a: Analysis, m: MultusInstall, limit = '512Mi'): string {
  if (m.flavor === 'openshift')
    return 'The Cluster Network Operator sets these resources; collect `oc adm must-gather` and raise it with Red Hat support.';
  if (m.flavor === 'rke2-chart') {
    const values = `pod:\n  resources:\n    enabled: true\n    multus:\n      limits:\n        memory: ${limit}`;
    return a.distribution === 'rke2'
      ? `Raise the limit with a HelmChartConfig kube-system/rke2-multus, valuesContent:\n${values}`
      : `helm upgrade ${shellQuote(m.name)} rke2-charts/rke2-multus -n ${shellQuote(m.namespace)} --reuse-values -f values.yaml with\n${values}`;
  }
  const ci = m.containerIndex ?? 0;
  const op = [{ op: 'add', path: `/spec/template/spec/containers/${ci}/resources/limits/memory`, value: limit }];
  return `Raise the memory limit (the reference manifests cap it at 50Mi; 256Mi–1Gi is what busy nodes need):\n  kubectl -n ${shellQuote(m.namespace)} patch ds ${shellQuote(m.name)} --type=json -p ${shellQuote(JSON.stringify(op))}${installFacts(m).mode === 'thick' ? '\nThick plugin ≥ v4.3.0 can also cap concurrent requests with "connectionLimit" in daemon-config.json.' : ''}`;
}

export function ciliumExclusiveFix(a: Analysis, ns = 'kube-system'): string {
  const restart = 'then restart the cilium agents and the multus pods, so that multus writes its config again.';
  if (a.distribution === 'rke2') {
    return `RKE2: a HelmChartConfig for rke2-cilium:\napiVersion: helm.cattle.io/v1\nkind: HelmChartConfig\nmetadata:\n  name: rke2-cilium\n  namespace: kube-system\nspec:\n  valuesContent: |-\n    cni:\n      exclusive: false\n(the default from RKE2 v1.31.14, v1.32.10, v1.33.6, v1.34.2); ${restart}`;
  }
  return `Helm: \`helm upgrade cilium cilium/cilium -n ${shellQuote(ns)} --reuse-values --set cni.exclusive=false\`; or \`kubectl -n ${shellQuote(ns)} patch configmap cilium-config --type=merge -p '{"data":{"cni-exclusive":"false"}}'\`; ${restart}`;
}

export function dhcpDaemonFix(a: Analysis, multus?: MultusInstall): string {
  switch (a.distribution) {
    case 'k3s':
    case 'rke2': {
      const how =
        a.distribution === 'rke2'
          ? 'HelmChartConfig kube-system/rke2-multus, valuesContent `manifests: {dhcpDaemonSet: true}`'
          : `\`helm upgrade ${shellQuote(multus?.name ?? 'multus')} rke2-charts/rke2-multus -n kube-system --reuse-values --set manifests.dhcpDaemonSet=true\``;
      return `Run the CNI dhcp daemon on every node with the chart's DaemonSet: ${how}.`;
    }
    case 'openshift':
      return 'OpenShift starts its dhcp-daemon DaemonSet only when an additional network managed by the Cluster Network Operator uses DHCP IPAM: declare the network in `spec.additionalNetworks` of `network.operator cluster` (type Raw or SimpleMacvlan with dhcp IPAM) instead of a hand-made NAD.';
    default:
      return 'Run `dhcp daemon` (from the reference plugins) on every node: a privileged, hostNetwork DaemonSet that mounts /run/cni (removing a stale dhcp.sock first), /proc and /run/netns (mountPropagation: HostToContainer) and runs `/opt/cni/bin/dhcp daemon`; see k8snetworkplumbingwg/reference-deployment multus-dhcp/dhcp-daemonset.yml. A systemd unit running the same command on each host works too.';
  }
}

export function whereaboutsInstallFix(a: Analysis): string {
  const base = 'https://raw.githubusercontent.com/k8snetworkplumbingwg/whereabouts/master/doc/crds';
  const upstream = `kubectl apply -f ${base}/daemonset-install.yaml -f ${base}/whereabouts.cni.cncf.io_ippools.yaml -f ${base}/whereabouts.cni.cncf.io_overlappingrangeipreservations.yaml`;
  switch (a.distribution) {
    case 'rke2':
      return 'Enable the sub-chart: HelmChartConfig kube-system/rke2-multus with valuesContent `rke2-whereabouts: {enabled: true}`.';
    case 'k3s': {
      const t = targetDirs(a);
      return `With the rke2-multus chart, add to its values:\nrke2-whereabouts:\n  enabled: true\n  cniConf:\n    confDir: ${t.confDir}\n    binDir: ${t.binDir}/\nand in each whereabouts NAD's ipam: "configuration_path": "${t.confDir}/whereabouts.d/whereabouts.conf" (whereabouts does not look under the K3s conf dir by itself).`;
    }
    case 'openshift':
      return 'OpenShift ships whereabouts with multus; use it through a CNO-managed additional network, or check `oc -n openshift-multus get ds` and the CRDs with `oc get crd | grep whereabouts`.';
    default:
      return upstream;
  }
}

export function rbacFix(m: MultusInstall): string {
  const sa = m.serviceAccount ?? 'multus';
  return [
    `Give the service account ${m.namespace}/${sa} the rules of the ClusterRole in the manifest of your multus version, at least:`,
    'rules:',
    '- apiGroups: ["k8s.cni.cncf.io"]',
    '  resources: ["*"]',
    '  verbs: ["*"]',
    '- apiGroups: [""]',
    '  resources: ["pods", "pods/status"]',
    '  verbs: ["get", "list", "update", "watch"]',
    '- apiGroups: ["", "events.k8s.io"]',
    '  resources: ["events"]',
    '  verbs: ["create", "patch", "update"]',
    `and check the ClusterRoleBinding: kubectl get clusterrolebinding -o wide | grep ${shellQuote(sa)}`,
  ].join('\n');
}
