/**
 * The test pods this run created, so that every way out (success, failure, timeout, Ctrl-C,
 * SIGTERM, an exception) deletes them. A pod is registered before its create request is sent:
 * if the request is cut off by Ctrl-C the server may still have created it.
 */
import type { KubeClient, KubeObject } from '../cluster/client.js';
import { ClusterError } from '../cluster/errors.js';
import { RUN_ID_LABEL } from './pod-spec.js';

/** Deletion must outlive the run's abort signal (it runs because of Ctrl-C). */
const DELETE_TIMEOUT_MS = 15_000;

export class ProbePods {
  private readonly live = new Map<string, string>(); // name → namespace
  constructor(private readonly client: KubeClient) {}

  get names(): Array<{ namespace: string; name: string }> {
    return [...this.live].map(([name, namespace]) => ({ namespace, name }));
  }

  async create(namespace: string, name: string, manifest: object, signal: AbortSignal): Promise<KubeObject> {
    this.live.set(name, namespace);
    try {
      return await this.client.create({ version: 'v1', resource: 'pods', namespace }, manifest, { signal });
    } catch (e) {
      // Refused outright: nothing to delete. Anything else (cut off, timeout) may have created it.
      if (e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'invalid' || e.kind === 'not-found'))
        this.live.delete(name);
      throw e;
    }
  }

  private async deleteOne(namespace: string, name: string): Promise<void> {
    try {
      await this.client.delete(
        { version: 'v1', resource: 'pods', namespace, name },
        { query: { gracePeriodSeconds: 0 }, signal: new AbortController().signal, timeoutMs: DELETE_TIMEOUT_MS },
      );
    } catch (e) {
      if (!(e instanceof ClusterError && e.kind === 'not-found')) throw e;
    }
    this.live.delete(name);
  }

  /**
   * Delete every registered pod, then sweep the namespaces by run id for a pod whose create was
   * cut off mid-flight. Returns `namespace/name` of the pods that could not be deleted.
   */
  async deleteAll(runId: string): Promise<string[]> {
    const failed: string[] = [];
    const namespaces = new Set(this.live.values());
    await Promise.all(
      this.names.map(async ({ namespace, name }) => {
        try {
          await this.deleteOne(namespace, name);
        } catch {
          failed.push(`${namespace}/${name}`);
        }
      }),
    );
    for (const namespace of namespaces) {
      try {
        const left = await this.client.list(
          { version: 'v1', resource: 'pods', namespace },
          { labelSelector: `${RUN_ID_LABEL}=${runId}`, signal: new AbortController().signal },
        );
        for (const p of left) {
          const name = p.metadata?.name;
          if (!name || failed.includes(`${namespace}/${name}`)) continue;
          try {
            await this.deleteOne(namespace, name);
          } catch {
            failed.push(`${namespace}/${name}`);
          }
        }
      } catch {
        /* the sweep is a second line of defence; the per-pod deletes above already reported */
      }
    }
    return failed;
  }
}
