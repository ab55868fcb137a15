/**
 * `kubectl multus version --cluster`: the plugin's version plus the multus version the cluster
 * runs, read from the image tag of the multus DaemonSet (install fingerprints: research §B.3).
 * Cluster access is lazy (this module is imported only with --cluster).
 */
import { VERSION, COMMIT } from '../version.js';
import { EXIT_INCOMPLETE, EXIT_OK } from './exit.js';
import type { Io } from './io.js';
import { runtimeDescription } from './version.js';
import { escapeTerminal } from '../report/escape.js';

export interface MultusInstall {
  /** `v4.1.0`, or null when the image is pinned by digest or its tag carries no version. */
  version: string | null;
  mode: 'thick' | 'thin' | null;
  image: string;
  daemonSet: string;
  namespace: string;
}

interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
}
interface DaemonSet {
  metadata?: { name?: string; namespace?: string };
  spec?: { template?: { spec?: { containers?: Container[] } } };
}

// The usual DaemonSet names (upstream, RKE2, OpenShift), preferred when several match.
const KNOWN_NAMES = ['kube-multus-ds', 'rke2-multus', 'multus'];

/** Find the multus DaemonSet(s) in a list and read version and mode off the main container. */
export function detectMultus(items: DaemonSet[]): MultusInstall[] {
  const found: MultusInstall[] = [];
  for (const ds of items) {
    for (const c of ds.spec?.template?.spec?.containers ?? []) {
      const image = c.image ?? '';
      const repo = image.split('@')[0]!.replace(/:[^/]*$/, '');
      // OpenShift pins a generically named release image by digest: its container name tells.
      const multusImage = /multus/i.test(repo.split('/').pop() ?? '') || /^kube-(rke2-)?multus$/.test(c.name ?? '');
      // The rke2 DHCP daemon and whereabouts share labels or names with multus; skip them.
      if (!multusImage || /-dhcp$/.test(c.name ?? '')) continue;
      const tag = image.includes('@') ? '' : (/:([^/:]+)$/.exec(image)?.[1] ?? '');
      const version = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(tag)?.[1];
      const cmd = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
      const mode =
        /thick/.test(tag) || /multus-daemon/.test(cmd)
          ? 'thick'
          : /thin_entrypoint|entrypoint\.sh/.test(cmd)
            ? 'thin'
            : null;
      found.push({
        version: version ? `v${version}` : null,
        mode,
        image,
        daemonSet: ds.metadata?.name ?? '',
        namespace: ds.metadata?.namespace ?? '',
      });
    }
  }
  const rank = (m: MultusInstall) => {
    const i = KNOWN_NAMES.indexOf(m.daemonSet);
    return i < 0 ? KNOWN_NAMES.length : i;
  };
  return found.sort((a, b) => rank(a) - rank(b));
}

export interface VersionClusterOptions {
  output: 'text' | 'json';
  kubeconfig?: string;
  context?: string;
  timeoutMs?: number;
}

export async function runVersionCluster(io: Io, o: VersionClusterOptions): Promise<number> {
  const runtime = runtimeDescription();
  const timeoutMs = o.timeoutMs ?? 10_000;
  let server: string | undefined;
  let installs: MultusInstall[] | undefined;
  let error: string | undefined;
  try {
    const { connect } = await import('../completion/kube.js');
    const kube = await connect({ kubeconfig: o.kubeconfig, context: o.context });
    server = kube.server;
    const list = (path: string) => kube.get<{ items?: DaemonSet[] }>(path, timeoutMs).then((l) => l.items ?? []);
    let items: DaemonSet[];
    try {
      items = await list('/apis/apps/v1/daemonsets');
    } catch (e) {
      // A namespace-scoped user may not list cluster-wide: try where multus lives.
      if ((e as { status?: number }).status !== 403) throw e;
      const per = await Promise.allSettled(
        ['kube-system', 'openshift-multus'].map((ns) => list(`/apis/apps/v1/namespaces/${ns}/daemonsets`)),
      );
      if (per.every((r) => r.status === 'rejected')) throw e;
      items = per.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    }
    installs = detectMultus(items);
  } catch (e) {
    error = (e as Error)?.message ?? String(e);
  }

  const multus = installs?.[0] ?? null;
  if (o.output === 'json') {
    const cluster = error !== undefined ? { server: server ?? null, error } : { server, multus };
    io.out(JSON.stringify({ version: VERSION, commit: COMMIT, runtime, cluster }, null, 2) + '\n');
  } else {
    io.out(`kubectl-multus ${VERSION} (commit ${COMMIT}, ${runtime})\n`);
    if (error !== undefined) {
      io.out(`multus: unknown (could not read the cluster: ${escapeTerminal(error)})\n`);
    } else if (!multus) {
      io.out(`multus: not found on ${escapeTerminal(server ?? 'the cluster')} (no DaemonSet runs a multus image)\n`);
    } else {
      const what = [multus.version ?? 'version unknown', multus.mode].filter(Boolean).join(' ');
      io.out(
        `multus: ${escapeTerminal(what)} (DaemonSet ${escapeTerminal(`${multus.namespace}/${multus.daemonSet}`)}, image ${escapeTerminal(multus.image)})\n`,
      );
    }
  }
  if (error !== undefined) io.err(`note: no reachable cluster; the multus version could not be detected\n`);
  return error !== undefined ? EXIT_INCOMPLETE : EXIT_OK;
}
