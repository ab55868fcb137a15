/**
 * Turns a scenario into stored objects: system namespaces, CRDs, Node objects for `nodes:`, the
 * `kubernetes` Service (and ServiceCIDR where served), the manifests, generated DaemonSet pods
 * with their status, and defaults for pods and events written without status or uids.
 */
import * as cidr from './cidr.js';
import { apiVersionOf, stampNew } from './meta.js';
import { podStatus, suffixFor, uidFor } from './pods.js';
import { knownCrdManifest } from './resources.js';
import type { DsPodsSpec, KObj, NodeSpec, PodState } from './scenario.js';
import type { World } from './world.js';

const RUNTIME: Record<string, string> = {
  k3s: 'containerd://1.7.23-k3s2',
  rke2: 'containerd://1.7.23-k3s2',
  kubeadm: 'containerd://1.7.24',
  kind: 'containerd://1.7.24',
  microk8s: 'containerd://1.6.28',
  openshift: 'cri-o://1.31.3-3.rhaos4.18.gitf1f7a8e.el9',
};

function firstV4(spec: NodeSpec): string | undefined {
  for (const i of spec.interfaces ?? []) {
    if (i.kind && !['ether', 'bond', 'vlan'].includes(i.kind)) continue;
    for (const a of i.addresses ?? []) if (!a.includes(':') && !a.startsWith('127.')) return a.split('/')[0];
  }
  return undefined;
}

function nodeObject(w: World, name: string, spec: NodeSpec, index: number, now: string): KObj {
  const c = w.scenario.cluster;
  const arch = spec.arch ?? 'amd64';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
  if (c.distribution === 'k3s' || c.distribution === 'rke2')
    labels['node.kubernetes.io/instance-type'] = c.distribution;
  if (c.distribution === 'microk8s') labels['microk8s.io/cluster'] = 'true';
  for (const r of spec.roles ?? [])
    labels[`node-role.kubernetes.io/${r}`] = c.distribution === 'k3s' || c.distribution === 'rke2' ? 'true' : '';
  Object.assign(labels, spec.labels);
  const ip = spec.internalIP ?? firstV4(spec) ?? `10.0.0.${10 + index}`;
  const podCIDR = spec.podCIDR ?? cidr.slice(c.podCIDR.split(',')[0]!, index);
  const providerID =
    c.distribution === 'k3s' ? `k3s://${name}` : c.distribution === 'kind' ? `kind://docker/kind/${name}` : undefined;
  const ready = spec.ready ?? true;
  const cond = (type: string, status: string, reason: string, message: string): KObj => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', ...spec.annotations } },
    spec: {
      podCIDR,
      podCIDRs: [podCIDR],
      ...(providerID ? { providerID } : {}),
      ...(spec.taints ? { taints: spec.taints } : {}),
    },
    status: {
      addresses: [
        { address: ip, type: 'InternalIP' },
        { address: name, type: 'Hostname' },
      ],
      allocatable: { cpu: '2', 'ephemeral-storage': '19586931083', memory: '3930620Ki', pods: '110' },
      capacity: { cpu: '2', 'ephemeral-storage': '20134592Ki', memory: '4033020Ki', pods: '110' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        ready
          ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
          : cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: arch,
        bootID: uidFor(`boot/${name}`),
        containerRuntimeVersion: spec.containerRuntimeVersion ?? RUNTIME[c.distribution] ?? RUNTIME['kubeadm'],
        kernelVersion: spec.kernelVersion ?? '6.1.0-28-amd64',
        kubeProxyVersion: spec.kubeletVersion ?? c.version,
        kubeletVersion: spec.kubeletVersion ?? c.version,
        machineID: uidFor(`machine/${name}`).replace(/-/g, ''),
        operatingSystem: 'linux',
        osImage:
          spec.osImage ??
          (c.distribution === 'openshift'
            ? 'Red Hat Enterprise Linux CoreOS 418.94'
            : 'Debian GNU/Linux 12 (bookworm)'),
        systemUUID: uidFor(`system/${name}`),
      },
    },
  };
}

/** Tolerations admit the node's NoSchedule/NoExecute taints, and nodeSelector matches. */
function admits(podSpec: KObj, node: KObj): boolean {
  const labels = node['metadata']?.labels ?? {};
  for (const [k, v] of Object.entries(podSpec['nodeSelector'] ?? {})) if (labels[k] !== v) return false;
  for (const taint of node['spec']?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    const ok = (podSpec['tolerations'] ?? []).some(
      (t: KObj) =>
        (!t.effect || t.effect === taint.effect) &&
        ((t.operator === 'Exists' && (!t.key || t.key === taint.key)) ||
          (t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))),
    );
    if (!ok) return false;
  }
  return true;
}

export function podDefaults(spec: KObj): KObj {
  return {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    ...spec,
    ...(spec['serviceAccountName'] ? { serviceAccount: spec['serviceAccountName'] } : {}),
  };
}

/** Fills a running status for a pod written without one (or as `state`). */
export function settlePod(w: World, pod: KObj, state: PodState, now: string, extra: Partial<DsPodsSpec> = {}): void {
  const spec = pod['spec'];
  const hostIP = spec.nodeName ? w.nodeIP(spec.nodeName) : undefined;
  const scheduled = !!spec.nodeName;
  const podIP =
    !scheduled || state === 'ContainerCreating' || state === 'Pending'
      ? undefined
      : spec.hostNetwork
        ? hostIP
        : w.allocPodIP(spec.nodeName);
  pod['status'] = podStatus(pod, {
    state,
    startTime: pod['metadata']?.creationTimestamp ?? now,
    ...(hostIP ? { hostIP } : {}),
    ...(podIP ? { podIP } : {}),
    ...(extra.restartCount !== undefined ? { restartCount: extra.restartCount } : {}),
    ...(extra.lastTerminated ? { lastTerminated: extra.lastTerminated } : {}),
  });
  if (!scheduled) {
    pod['status'] = {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/0 nodes are available.',
          lastProbeTime: null,
          lastTransitionTime: now,
        },
      ],
      qosClass: 'BestEffort',
    };
  }
}

export function daemonSetPods(w: World, ds: KObj, now: string): KObj[] {
  const md = ds['metadata'];
  const key = `${md.namespace}/${md.name}`;
  const opts: DsPodsSpec = w.scenario.daemonSetPods[key] ?? {};
  if (opts.generate === false) return [];
  const tpl = ds['spec']?.template ?? {};
  const nodes = w.store
    .peekAll('nodes')
    .filter((n) => admits(tpl.spec ?? {}, n) && (!opts.nodes || opts.nodes.includes(n['metadata'].name)));
  const pods: KObj[] = [];
  for (const n of nodes) {
    const node = n['metadata'].name as string;
    const per = opts.perNode?.[node] ?? {};
    const name = opts.names?.[node] ?? `${md.name}-${suffixFor(`${md.uid}/${node}`)}`;
    const pod: KObj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${md.name}-`,
        namespace: md.namespace,
        labels: {
          ...tpl.metadata?.labels,
          'controller-revision-hash': suffixFor(`${md.uid}/rev`, 10),
          'pod-template-generation': String(md.generation ?? 1),
        },
        ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'DaemonSet',
            name: md.name,
            uid: md.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        uid: uidFor(`pod/${md.namespace}/${name}`),
        creationTimestamp: md.creationTimestamp ?? now,
      },
      spec: podDefaults({ ...structuredClone(tpl.spec ?? {}), nodeName: node }),
    };
    const state = per.state ?? opts.state ?? 'Running';
    settlePod(w, pod, state, now, { ...opts, ...per });
    pods.push(pod);
  }
  return pods;
}

export function dsStatus(ds: KObj, pods: KObj[], desired: number): KObj {
  const ready = pods.filter((p) =>
    p['status']?.conditions?.some((c: KObj) => c.type === 'Ready' && c.status === 'True'),
  ).length;
  const s: KObj = {
    currentNumberScheduled: pods.length,
    desiredNumberScheduled: desired,
    numberMisscheduled: 0,
    numberReady: ready,
    observedGeneration: ds['metadata']?.generation ?? 1,
    updatedNumberScheduled: pods.length,
  };
  if (ready) s['numberAvailable'] = ready;
  if (desired - ready > 0) s['numberUnavailable'] = desired - ready;
  return s;
}

const KIND_RESOURCE: Record<string, string> = {
  Pod: 'pods',
  Node: 'nodes',
  DaemonSet: 'daemonsets.apps',
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  StatefulSet: 'statefulsets.apps',
  Namespace: 'namespaces',
  Service: 'services',
};

/** Builds the initial store. Throws with a clear message on manifests a real cluster would reject. */
export function populate(w: World, now: string): void {
  const s = w.scenario;
  const put = (obj: KObj, seed: string, ns?: string): KObj => {
    const t = w.typeOf(obj);
    if (!t)
      throw new Error(
        `scenario ${s.name}: no matches for kind "${obj['kind']}" in version "${obj['apiVersion']}" (missing CRD?)`,
      );
    stampNew(obj, t.rt, ns ?? obj['metadata']?.namespace, { now, seed });
    obj['apiVersion'] = apiVersionOf(t.rt, t.rt.versions[0]!);
    return w.store.adopt(w.gr(t.rt), obj);
  };

  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    put(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
      `ns/${ns}`,
    );
  }
  // CRDs first so custom resources in the manifests resolve
  const manifests = s.objects.map((o) => structuredClone(o));
  for (const name of s.crds) put(knownCrdManifest(name), `crd/${name}`);
  for (const o of manifests.filter((o) => o['kind'] === 'CustomResourceDefinition'))
    put(o, `crd/${o['metadata']?.name}`);
  w.syncCrds();

  const nodeNames = Object.keys(s.nodes);
  nodeNames.forEach((name, i) => {
    if (!manifests.some((o) => o['kind'] === 'Node' && o['metadata']?.name === name))
      put(nodeObject(w, name, s.nodes[name]!, i, now), `node/${name}`);
  });

  const firstSvc = cidr.nth(w.serviceCIDRs[0]!, 1);
  w.reserveServiceIP(firstSvc);
  put(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: firstSvc,
        clusterIPs: [firstSvc],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
    'svc/default/kubernetes',
  );
  if (s.cluster.serviceCIDRVersions.length) {
    put(
      {
        apiVersion: `networking.k8s.io/${s.cluster.serviceCIDRVersions[0]}`,
        kind: 'ServiceCIDR',
        metadata: { name: 'kubernetes' },
        spec: { cidrs: w.serviceCIDRs },
      },
      'servicecidr/kubernetes',
    );
  }

  // namespaces the manifests use must exist, as on a real cluster; create them for convenience
  for (const o of manifests) {
    const ns = o['metadata']?.namespace;
    if (ns && !w.store.peek('namespaces', undefined, ns)) {
      put(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        },
        `ns/${ns}`,
      );
    }
  }

  for (const o of manifests)
    if (o['kind'] === 'Pod' && o['status']?.podIP) w.notePodIP(o['spec']?.nodeName, o['status'].podIP);
  const rest = manifests.filter((o) => o['kind'] !== 'CustomResourceDefinition' && o['kind'] !== 'Event');
  // nodes, then everything else, then events (which refer to the others by uid)
  rest.sort((a, b) => Number(b['kind'] === 'Node') - Number(a['kind'] === 'Node'));
  for (const o of rest) {
    const md = (o['metadata'] ??= {});
    if (o['kind'] === 'Namespace' && w.store.peek('namespaces', undefined, md.name)) continue;
    const t = w.typeOf(o);
    if (t?.rt.namespaced) md.namespace ??= 'default';
    if (o['kind'] === 'Pod') {
      o['spec'] = podDefaults(o['spec'] ?? {});
      if (!o['spec'].nodeName && nodeNames.length) o['spec'].nodeName = nodeNames[0];
      md.uid ??= uidFor(`pod/${md.namespace}/${md.name}`);
      if (!o['status']) settlePod(w, o, w.behaviour(o).state ?? 'Running', now);
    }
    if (o['kind'] === 'Service' && o['spec']?.clusterIP && o['spec'].clusterIP !== 'None')
      w.reserveServiceIP(o['spec'].clusterIP);
    if (o['kind'] === 'Service' && !o['spec']?.clusterIP && (o['spec']?.type ?? 'ClusterIP') !== 'ExternalName') {
      const ip = w.allocServiceIP();
      if (ip) Object.assign((o['spec'] ??= {}), { clusterIP: ip, clusterIPs: [ip] });
    }
    put(o, `${o['kind']}/${md.namespace ?? ''}/${md.name}`);
  }

  for (const ds of w.store.peekAll('daemonsets.apps')) {
    const owned = w.store
      .peekAll('pods')
      .filter((p) =>
        (p['metadata'].ownerReferences ?? []).some(
          (r: KObj) => r.uid === ds['metadata'].uid || (r.kind === 'DaemonSet' && r.name === ds['metadata'].name),
        ),
      );
    const generated = owned.length ? [] : daemonSetPods(w, ds, now);
    for (const p of generated) w.store.adopt('pods', p);
    if (!ds['status']) {
      const pods = owned.length ? owned : generated;
      const desired = w.store.peekAll('nodes').filter((n) => admits(ds['spec']?.template?.spec ?? {}, n)).length;
      w.store.put('daemonsets.apps', { ...structuredClone(ds), status: dsStatus(ds, pods, desired) });
    }
  }
  for (const d of w.store.peekAll('deployments.apps')) {
    if (d['status']) continue;
    const r = d['spec']?.replicas ?? 1;
    w.store.put('deployments.apps', {
      ...structuredClone(d),
      status: {
        observedGeneration: d['metadata'].generation ?? 1,
        replicas: r,
        updatedReplicas: r,
        readyReplicas: r,
        availableReplicas: r,
      },
    });
  }

  let n = 0;
  for (const e of manifests.filter((o) => o['kind'] === 'Event')) {
    const io = (e['involvedObject'] ??= {});
    const gr = KIND_RESOURCE[io.kind];
    if (gr && !io.uid) {
      const target = w.store.peek(
        gr,
        gr === 'nodes' || gr === 'namespaces' ? undefined : (io.namespace ?? 'default'),
        io.name,
      );
      if (target) io.uid = target['metadata'].uid;
    }
    const md = (e['metadata'] ??= {});
    md.namespace ??= io.namespace ?? 'default';
    md.name ??= `${io.name ?? 'event'}.${uidFor(`event/${n++}`).replace(/-/g, '').slice(0, 16)}`;
    e['firstTimestamp'] ??= now;
    e['lastTimestamp'] ??= e['firstTimestamp'];
    e['count'] ??= 1;
    e['type'] ??= 'Normal';
    put(e, `event/${md.namespace}/${md.name}`);
  }
}
