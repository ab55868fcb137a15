/**
 * A fake kubelet (plus the bit of multus it needs) for pods created through the fake API: pods
 * stay Pending/ContainerCreating while their sandbox is set up, post the events a real node
 * posts (AddedInterface, FailedCreatePodSandBox, NoNetworkFound), retry a failed sandbox with a
 * fresh one, turn Running with multus's network-status, end at activeDeadlineSeconds, and tear
 * their networks down when deleted.
 *
 * Two modes:
 *  - `netns` (root): every pod gets a REAL network namespace; the NAD's REAL CNI plugins run
 *    (inside the node's namespace the test made, so `master` is looked up there) with the CNI
 *    protocol; exec of `ip`/`ping` in the pod runs inside its namespace. Errors are the plugins'.
 *  - `simulated` (any user): interfaces are computed (host-local/static ranges, requested MACs);
 *    `ip` is the fake's emulation and `ping` answers from the kubelet's table of attachments;
 *    failures come from the test's `simulate` callback. No packet is ever sent.
 *
 * It needs the scenario's `createdPods: { phase: Pending }`, so the API server leaves created
 * pods to it; it attaches through the store's event stream (no hook in the server).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeCluster } from './server.js';
import type { KObj } from './scenario.js';
import type { StoreEvent } from './store.js';
import { podStatus } from './pods.js';
import { nowIso } from './meta.js';
import { normaliseInterfaces, writeIpFiles, type InterfaceSpec } from './ip.js';
import { addNetns, delNetns, execPlugin, which, DEFAULT_CNI_PATH } from './netns.js';
import {
  addedInterfaceMessage,
  cniArgs,
  delegateError,
  fromResult,
  networkStatus,
  pluginConfig,
  resolveDelegates,
  sandboxFailedMessage,
  type Attachment,
  type Delegate,
} from './multus-emu.js';
import { NETWORK_STATUS_ANNOTATION } from '../../src/model/networks-annotation.js';
import { readIpam } from '../../src/model/ipam.js';
import { formatIp } from '../../src/model/cidr.js';

export interface SimulatedAttachment {
  cidrs: string[];
  mac?: string;
}

export interface FakeKubeletOptions {
  mode: 'netns' | 'simulated';
  /** Prefix of every network namespace this kubelet creates (make it unique per test run). */
  prefix?: string;
  /** netns mode: node name → the namespace its plugins run in (the test created it, LAN inside). */
  nodeNetns?: Record<string, string>;
  cniPath?: string[];
  /** Time a pod stays ContainerCreating before its sandbox is set up (ms). */
  startDelayMs?: number;
  /** Time between sandbox attempts after a failure (ms); the kubelet's backoff. */
  retryMs?: number;
  /** netns mode: give pods an eth0 from the `ptp` plugin with the node's podCIDR (default true). */
  primary?: boolean;
  /** Called when a pod's networks are up, before it turns Running (tests add firewall rules here). */
  afterNetworkUp?: (p: {
    namespace: string;
    name: string;
    node: string;
    netns?: string;
    attachments: Attachment[];
  }) => Promise<void> | void;
  /** simulated mode: the outcome of one attachment (default: an address from the NAD's range). */
  simulate?: (p: { pod: KObj; delegate: Delegate }) => SimulatedAttachment | { error: string } | undefined;
  /** Images whose `ip` is BusyBox's (no `-j`); default: any image with "busybox" in its name. */
  busyboxImages?: RegExp;
}

interface Added {
  ifname: string;
  confs: Array<Record<string, unknown>>;
  args: string;
  result?: unknown;
}

interface Sandbox {
  id: string;
  netns?: string;
  added: Added[];
  reach: string[];
}

interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  node: string;
  stopped: boolean;
  sandbox?: Sandbox;
  chain: Promise<void>;
  timers: Set<NodeJS.Timeout>;
}

/**
 * `ip`/`ping` inside a pod. Fixed text: the namespace, binaries and table directory are read
 * from files next to it, never written into the script.
 */
const TOOL_WRAPPER = `#!/bin/sh
# fake kubelet (test/fake-cluster/kubelet.ts): ip and ping of a pod
d="\${0%/*}/kubelet.d"
tool="\${0##*/}"
if [ "$tool" = ip ] && [ -f "$d/busybox" ]; then
  for a in "$@"; do
    case "$a" in
      -j|-json|--json) printf '%s\\n' "ip: invalid option -- 'j'" "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary." "" "Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]" >&2; exit 1 ;;
      -*) ;;
      *) break ;;
    esac
  done
fi
if [ -f "$d/netns" ]; then
  exec "$(cat "$d/ip.bin")" netns exec "$(cat "$d/netns")" "$(cat "$d/$tool.bin")" "$@"
fi
if [ "$tool" = ip ]; then exec "\${0%/*}/ip-shim" "$@"; fi
for last; do :; done
case "$last" in ""|*[!0-9a-fA-F:.]*) echo "ping: bad address '$last'" >&2; exit 2 ;; esac
echo "PING $last ($last): 56 data bytes"
if [ -f "$(cat "$d/reach")/$last" ]; then
  printf '64 bytes from %s: seq=0 ttl=64 time=0.050 ms\\n64 bytes from %s: seq=1 ttl=64 time=0.061 ms\\n\\n--- %s ping statistics ---\\n2 packets transmitted, 2 packets received, 0%% packet loss\\n' "$last" "$last" "$last"
  exit 0
fi
printf '\\n--- %s ping statistics ---\\n2 packets transmitted, 0 packets received, 100%% packet loss\\n' "$last"
exit 1
`;

const sandboxId = (): string => randomBytes(32).toString('hex');

export class FakeKubelet {
  private readonly runs = new Map<string, PodRun>();
  private readonly o: Required<
    Pick<FakeKubeletOptions, 'prefix' | 'cniPath' | 'startDelayMs' | 'retryMs' | 'primary' | 'busyboxImages'>
  > &
    FakeKubeletOptions;
  private readonly dir: string;
  private readonly reachDir: string;
  private unsubscribe?: () => void;
  private closed = false;
  private seq = 0;
  private readonly simNext = new Map<string, number>();
  /** Namespaces created so far (netns mode), for tests that look inside. */
  readonly created: string[] = [];

  constructor(
    private readonly fc: FakeCluster,
    o: FakeKubeletOptions,
  ) {
    this.o = {
      prefix: `kmp${process.pid.toString(36)}`,
      cniPath: DEFAULT_CNI_PATH,
      startDelayMs: 50,
      retryMs: 1000,
      primary: true,
      busyboxImages: /busybox/,
      ...o,
    };
    if (fc.scenario.createdPods.phase !== 'Pending')
      throw new Error('FakeKubelet needs the scenario to set createdPods: { phase: Pending }');
    this.dir = mkdtempSync(join(tmpdir(), 'fake-kubelet-'));
    this.reachDir = join(this.dir, 'reach');
    mkdirSync(this.reachDir);
  }

  start(): this {
    this.unsubscribe = this.fc.world.store.subscribe((e) => this.onEvent(e));
    return this;
  }

  /** The network namespace of a running pod (netns mode). */
  netnsOf(namespace: string, name: string): string | undefined {
    return [...this.runs.values()].find((r) => r.namespace === namespace && r.name === name)?.sandbox?.netns;
  }

  /** Pods the kubelet still holds a sandbox for. */
  get active(): number {
    return [...this.runs.values()].filter((r) => r.sandbox).length;
  }

  /** Stop, tear every sandbox down (CNI DEL, namespace deleted) and remove the kubelet's files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const r of this.runs.values()) {
      r.stopped = true;
      for (const t of r.timers) clearTimeout(t);
      this.queue(r, () => this.teardown(r));
    }
    await Promise.all([...this.runs.values()].map((r) => r.chain));
    for (const ns of this.created) await delNetns(ns).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- lifecycle ----

  private onEvent(e: StoreEvent): void {
    if (e.gr !== 'pods' || this.closed) return;
    const md = e.object['metadata'] ?? {};
    if (
      e.type === 'ADDED' &&
      e.object['status']?.phase === 'Pending' &&
      e.object['spec']?.nodeName &&
      !this.runs.has(md.uid)
    ) {
      const run: PodRun = {
        uid: md.uid,
        namespace: md.namespace,
        name: md.name,
        node: e.object['spec'].nodeName,
        stopped: false,
        chain: Promise.resolve(),
        timers: new Set(),
      };
      this.runs.set(run.uid, run);
      this.later(run, this.o.startDelayMs, () => this.queue(run, () => this.attempt(run)));
      const deadline = Number(e.object['spec']?.activeDeadlineSeconds);
      if (deadline > 0) this.later(run, deadline * 1000, () => this.queue(run, () => this.expire(run)));
    } else if (e.type === 'DELETED') {
      const run = this.runs.get(md.uid);
      if (!run) return;
      run.stopped = true;
      for (const t of run.timers) clearTimeout(t);
      this.queue(run, () => this.teardown(run));
    }
  }

  private later(run: PodRun, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      run.timers.delete(t);
      if (!run.stopped && !this.closed) fn();
    }, ms);
    run.timers.add(t);
  }

  /** One operation at a time per pod: a delete waits for the attempt in flight, then undoes it. */
  private queue(run: PodRun, fn: () => Promise<void>): void {
    run.chain = run.chain.then(fn).catch((e: unknown) => {
      this.event(run, 'Warning', 'FakeKubeletError', `fake kubelet: ${(e as Error)?.message ?? String(e)}`, 'kubelet');
    });
  }

  private current(run: PodRun): KObj | undefined {
    const p = this.fc.world.store.get('pods', run.namespace, run.name);
    return p && p['metadata']?.uid === run.uid ? p : undefined;
  }

  private async attempt(run: PodRun): Promise<void> {
    const pod = this.current(run);
    if (!pod || run.stopped) return;
    const id = sandboxId();
    const r =
      this.o.mode === 'netns' ? await this.netnsSandbox(run, pod, id) : await this.simulatedSandbox(run, pod, id);
    if (run.stopped) return; // the queued teardown removes what was built
    if ('error' in r) {
      await this.teardown(run);
      this.event(run, 'Warning', 'FailedCreatePodSandBox', r.error, 'kubelet');
      this.later(run, this.o.retryMs, () => this.queue(run, () => this.attempt(run)));
      return;
    }
    await this.o.afterNetworkUp?.({
      namespace: run.namespace,
      name: run.name,
      node: run.node,
      ...(run.sandbox?.netns ? { netns: run.sandbox.netns } : {}),
      attachments: r.attachments,
    });
    const cur = this.current(run);
    if (!cur || run.stopped) return;
    cur['metadata'].annotations = {
      ...(cur['metadata'].annotations ?? {}),
      [NETWORK_STATUS_ANNOTATION]: networkStatus(r.attachments),
    };
    const hostIP = this.fc.world.nodeIP(run.node);
    const podIP = r.attachments.find((a) => a.default)?.cidrs[0]?.split('/')[0];
    cur['status'] = podStatus(cur, {
      state: 'Running',
      startTime: cur['metadata'].creationTimestamp ?? nowIso(),
      ...(hostIP ? { hostIP } : {}),
      ...(podIP ? { podIP } : {}),
    });
    const stored = this.fc.world.store.put('pods', cur);
    this.installTools(stored, r.attachments, run);
  }

  private async expire(run: PodRun): Promise<void> {
    const cur = this.current(run);
    await this.teardown(run);
    if (!cur) return;
    cur['status'] = {
      ...podStatus(cur, { state: 'Error', startTime: cur['metadata'].creationTimestamp ?? nowIso() }),
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: `Pod was active on the node longer than the specified deadline`,
    };
    this.fc.world.store.put('pods', cur);
    this.event(
      run,
      'Normal',
      'DeadlineExceeded',
      'Pod was active on the node longer than the specified deadline',
      'kubelet',
    );
  }

  private async teardown(run: PodRun): Promise<void> {
    const sb = run.sandbox;
    if (!sb) return;
    run.sandbox = undefined;
    for (const a of [...sb.added].reverse()) {
      for (const conf of [...a.confs].reverse()) {
        // DEL gets the cached result as prevResult, as libcni passes it for chains.
        const c = a.result !== undefined && a.confs.length > 1 ? { ...conf, prevResult: a.result } : conf;
        if (sb.netns)
          await execPlugin({
            command: 'DEL',
            containerId: sb.id,
            podNetns: sb.netns,
            ifname: a.ifname,
            args: a.args,
            cniPath: this.o.cniPath,
            config: c,
            runIn: this.nodeNetns(run)!,
          }).catch(() => undefined);
      }
    }
    if (sb.netns) await delNetns(sb.netns).catch(() => undefined);
    for (const f of sb.reach) rmSync(join(this.reachDir, f), { force: true });
  }

  // ---- sandboxes ----

  private nodeNetns(run: PodRun): string | undefined {
    return this.o.nodeNetns?.[run.node];
  }

  private nodeDir(node: string): string {
    // Per-node host-local store: /var/lib/cni/networks is local to each host.
    const d = join(this.dir, 'nodes', createHash('sha256').update(node).digest('hex').slice(0, 12), 'networks');
    mkdirSync(d, { recursive: true });
    return d;
  }

  private async netnsSandbox(
    run: PodRun,
    pod: KObj,
    id: string,
  ): Promise<{ attachments: Attachment[] } | { error: string }> {
    const nodeNs = this.nodeNetns(run);
    if (!nodeNs) return { error: sandboxFailedMessage(id, `fake kubelet: no network namespace for node ${run.node}`) };
    const netns = `${this.o.prefix}p${++this.seq}`;
    run.sandbox = { id, netns, added: [], reach: [] };
    this.created.push(netns);
    await addNetns(netns);
    const attachments: Attachment[] = [];
    const base = { containerId: id, podNetns: netns, cniPath: this.o.cniPath, runIn: nodeNs };
    const md = pod['metadata'];
    if (this.o.primary) {
      const podCIDR = this.fc.world.store.peek('nodes', undefined, run.node)?.['spec']?.podCIDR ?? '10.244.0.0/24';
      const conf = {
        cniVersion: '0.4.0',
        name: 'fake-pod-network',
        type: 'ptp',
        ipam: { type: 'host-local', ranges: [[{ subnet: podCIDR }]], dataDir: this.nodeDir(run.node) },
      };
      const args = cniArgs(pod, id);
      run.sandbox.added.push({ ifname: 'eth0', confs: [conf], args });
      const r = await execPlugin({ ...base, command: 'ADD', ifname: 'eth0', args, config: conf });
      if (!r.ok)
        return {
          error: sandboxFailedMessage(
            id,
            `[${md.namespace}/${md.name}/${md.uid}:fake-pod-network]: error adding container to network "fake-pod-network": ${r.error}`,
          ),
        };
      run.sandbox.added[0]!.result = r.result;
      const got = fromResult(r.result, 'eth0');
      const a: Attachment = {
        name: 'fake-pod-network',
        interface: 'eth0',
        cidrs: got.cidrs,
        ...(got.mac ? { mac: got.mac } : {}),
        default: true,
        gateway: got.gateway,
      };
      attachments.push(a);
      this.event(run, 'Normal', 'AddedInterface', addedInterfaceMessage(a), 'multus');
    }
    const resolved = resolveDelegates(pod, this.fc.world.store);
    if ('error' in resolved) {
      if (resolved.noNetworkFound) this.event(run, 'Warning', 'NoNetworkFound', resolved.noNetworkFound, 'multus');
      return { error: sandboxFailedMessage(id, resolved.error) };
    }
    for (const d of resolved.delegates) {
      const args = cniArgs(pod, id, d.selection);
      const added: Added = { ifname: d.ifname, confs: [], args };
      run.sandbox.added.push(added);
      let prev: unknown;
      for (let i = 0; i < d.plugins.length; i++) {
        const conf = pluginConfig(d.plugins[i]!, d.selection, {
          ...(i > 0 ? { prevResult: prev } : {}),
          hostLocalDir: this.nodeDir(run.node),
        });
        added.confs.push(conf);
        const r = await execPlugin({ ...base, command: 'ADD', ifname: d.ifname, args, config: conf });
        if (!r.ok) return { error: sandboxFailedMessage(id, delegateError(pod, d, r.error)) };
        prev = r.result;
      }
      added.result = prev;
      const got = fromResult((prev ?? {}) as Record<string, unknown>, d.ifname);
      const a: Attachment = {
        name: d.key,
        interface: d.ifname,
        cidrs: got.cidrs,
        ...(got.mac ? { mac: got.mac } : {}),
      };
      attachments.push(a);
      this.event(run, 'Normal', 'AddedInterface', addedInterfaceMessage(a), 'multus');
    }
    return { attachments };
  }

  private async simulatedSandbox(
    run: PodRun,
    pod: KObj,
    id: string,
  ): Promise<{ attachments: Attachment[] } | { error: string }> {
    run.sandbox = { id, added: [], reach: [] };
    const attachments: Attachment[] = [];
    const podIP = this.fc.world.allocPodIP(run.node);
    const plen = String(this.fc.world.store.peek('nodes', undefined, run.node)?.['spec']?.podCIDR ?? '/24').split(
      '/',
    )[1];
    const eth0: Attachment = {
      name: 'fake-pod-network',
      interface: 'eth0',
      cidrs: podIP ? [`${podIP}/${plen}`] : [],
      default: true,
    };
    attachments.push(eth0);
    this.event(run, 'Normal', 'AddedInterface', addedInterfaceMessage(eth0), 'multus');
    const resolved = resolveDelegates(pod, this.fc.world.store);
    if ('error' in resolved) {
      if (resolved.noNetworkFound) this.event(run, 'Warning', 'NoNetworkFound', resolved.noNetworkFound, 'multus');
      return { error: sandboxFailedMessage(id, resolved.error) };
    }
    for (const d of resolved.delegates) {
      const out = this.o.simulate?.({ pod, delegate: d }) ?? this.simulateDefault(d);
      if ('error' in out) return { error: sandboxFailedMessage(id, delegateError(pod, d, out.error)) };
      const mac = out.mac ?? d.selection.mac ?? macFrom(`${run.uid}/${d.ifname}`);
      const a: Attachment = { name: d.key, interface: d.ifname, cidrs: out.cidrs, mac };
      attachments.push(a);
      for (const c of out.cidrs) {
        const addr = c.split('/')[0]!;
        writeFileSync(join(this.reachDir, addr), `${run.namespace}/${run.name}\n`);
        run.sandbox.reach.push(addr);
      }
      this.event(run, 'Normal', 'AddedInterface', addedInterfaceMessage(a), 'multus');
    }
    return { attachments };
  }

  /** Next address of the NAD's first range (requested `ips` win), shared by all nodes. */
  private simulateDefault(d: Delegate): SimulatedAttachment {
    if (d.selection.ips?.length) return { cidrs: d.selection.ips };
    const ipam = d.plugins.find((p) => typeof p['ipam'] === 'object' && p['ipam'] !== null)?.['ipam'] as
      Record<string, unknown> | undefined;
    if (!ipam || !ipam['type']) return { cidrs: [] };
    const pool = readIpam(ipam as never).pools[0];
    const range = pool?.ranges[0];
    if (!pool || !range) return { cidrs: [] };
    const n = this.simNext.get(d.key) ?? 0;
    this.simNext.set(d.key, n + 1);
    return { cidrs: [`${formatIp(range.family, range.first + BigInt(n))}/${pool.subnet.prefix}`] };
  }

  // ---- exec tools ----

  private installTools(pod: KObj, attachments: Attachment[], run: PodRun): void {
    const containers: KObj[] = pod['spec']?.containers ?? [];
    for (const c of containers) {
      const view = this.fc.fs.container(pod, c.name);
      const d = join(view.bin, 'kubelet.d');
      mkdirSync(d, { recursive: true });
      if (this.o.busyboxImages.test(String(c.image ?? ''))) writeFileSync(join(d, 'busybox'), '');
      if (run.sandbox?.netns) {
        writeFileSync(join(d, 'netns'), run.sandbox.netns);
        writeFileSync(join(d, 'ip.bin'), which('ip') ?? '/usr/sbin/ip');
        writeFileSync(join(d, 'ping.bin'), which('ping') ?? '/usr/bin/ping');
      } else {
        const specs: InterfaceSpec[] = attachments.map((a, i) => ({
          name: a.interface,
          kind: a.default ? 'veth' : 'macvlan',
          addresses: a.cidrs,
          ...(a.mac ? { mac: a.mac } : {}),
          peerIndex: 10 + i,
        }));
        writeIpFiles(view.bin, normaliseInterfaces(specs, run.uid));
        renameSync(join(view.bin, 'ip'), join(view.bin, 'ip-shim'));
        writeFileSync(join(d, 'reach'), this.reachDir);
      }
      for (const tool of ['ip', 'ping']) {
        writeFileSync(join(view.bin, tool), TOOL_WRAPPER);
        chmodSync(join(view.bin, tool), 0o755);
      }
    }
  }

  private event(run: PodRun, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    if (this.closed && reason !== 'FakeKubeletError') return;
    const now = nowIso();
    this.fc.world.store.put('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${run.name}.${randomBytes(8).toString('hex')}`,
        namespace: run.namespace,
        uid: randomUUID(),
        creationTimestamp: now,
      },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: run.name, namespace: run.namespace, uid: run.uid },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: component === 'kubelet' ? { component: 'kubelet', host: run.node } : { component },
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? run.node : '',
    });
  }
}

function macFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
