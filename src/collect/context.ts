/**
 * What every collector gets: the API client, exec, options, and one place to record failures.
 * A collector that fails records why (collector name, node/resource/namespace, code) and returns
 * nothing; the run goes on and the snapshot says what is missing.
 */
import type { CollectionError } from '../snapshot/types.js';
import type { KubeClient } from '../cluster/client.js';
import type { PodExec } from '../cluster/exec.js';
import { ClusterError } from '../cluster/errors.js';

type InspectMode = 'auto' | 'always' | 'never';

export interface CollectOptions {
  /** Restrict pods/workloads/events to one namespace; undefined = all namespaces. */
  namespace?: string;
  inspectNodes: InspectMode;
  inspectorImage: string;
  /** Namespace for node-inspector pods (default: the multus install's, else kube-system). */
  inspectorNamespace?: string;
  concurrency: number;
  execTimeoutMs: number;
  /** Add multus pod logs of every pod (sysdump --logs), not only of failing ones. */
  allLogs: boolean;
  logLines: number;
  /** Short random id labelling every object this run creates. */
  runId: string;
  signal: AbortSignal;
  progress: (msg: string) => void;
  /** Called with an error that makes every further request pointless (401, server gone, TLS). */
  onFatal?: (err: ClusterError) => void;
}

export class CollectContext {
  readonly errors: CollectionError[] = [];
  constructor(
    readonly client: KubeClient,
    readonly exec: PodExec,
    readonly o: CollectOptions,
  ) {}

  /**
   * A context for commands that only list objects (status, nads, attach): no node inspection,
   * no exec, no logs. Keeps those commands from repeating the full option set.
   */
  static listOnly(
    client: KubeClient,
    exec: PodExec,
    o: Pick<CollectOptions, 'namespace' | 'signal' | 'progress' | 'onFatal'>,
  ): CollectContext {
    return new CollectContext(client, exec, {
      ...o,
      inspectNodes: 'never',
      inspectorImage: '',
      concurrency: 1,
      execTimeoutMs: 1,
      allLogs: false,
      logLines: 0,
      runId: '',
    });
  }

  /** Record a failure; cancellation is not recorded (the run is being torn down). */
  record(collector: string, err: unknown, where: { node?: string; resource?: string; namespace?: string } = {}): void {
    if (err instanceof ClusterError && err.kind === 'aborted') return;
    if (err instanceof ClusterError && err.fatal) this.o.onFatal?.(err);
    const e: CollectionError = { collector, message: err instanceof Error ? err.message : String(err) };
    if (where.node) e.node = where.node;
    const t = err instanceof ClusterError ? err.target : undefined;
    const resource = where.resource ?? (t ? (t.group ? `${t.resource}.${t.group}` : t.resource) : undefined);
    if (resource) e.resource = resource;
    const ns = where.namespace ?? t?.namespace;
    if (ns) e.namespace = ns;
    if (err instanceof ClusterError && err.code !== undefined) e.code = err.code;
    this.errors.push(e);
  }

  /** Run a collector; on failure record it and resolve to undefined. */
  async attempt<T>(
    collector: string,
    fn: () => Promise<T>,
    where: { node?: string; resource?: string; namespace?: string } = {},
  ): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ClusterError)) {
        // A bug in a collector must not sink the run either, but it is reported as such.
        this.record(collector, new Error(`internal error: ${(e as Error)?.message ?? String(e)}`), where);
        return undefined;
      }
      this.record(collector, e, where);
      return undefined;
    }
  }
}
