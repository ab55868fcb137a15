/**
 * Kubeconfig loading the way kubectl does it, without @kubernetes/client-node's loader (which
 * throws on a name defined in two files of KUBECONFIG):
 *  - `--kubeconfig FILE` alone, else every file of `KUBECONFIG` merged, else `~/.kube/config`,
 *    else the in-cluster service account;
 *  - merging: for clusters, users and contexts the first file to define a name wins, and the first
 *    file to set `current-context` wins (client-go's rule);
 *  - relative file references are resolved against the directory of the file that holds them;
 *  - flags override the selected context: --context, --cluster, --user, --server, --token,
 *    --insecure-skip-tls-verify, --as, --as-group, -n.
 * Pure apart from reading the files it is told about (injectable for tests).
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join, delimiter } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  as?: string;
  asGroup?: string[];
  /** Per-request timeout in milliseconds (0 = none). */
  requestTimeoutMs?: number;
}

/** A cluster entry as written in a kubeconfig (`clusters[].cluster`). */
interface RawCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

/** A user entry as written in a kubeconfig (`users[].user`). */
interface RawUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  exec?: {
    command?: string;
    args?: string[];
    env?: Array<{ name: string; value: string }>;
    apiVersion?: string;
    [k: string]: unknown;
  };
  'auth-provider'?: { name?: string; config?: Record<string, unknown> };
  as?: string;
  'as-groups'?: string[];
}

interface RawContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

interface MergedKubeconfig {
  clusters: Map<string, RawCluster>;
  users: Map<string, RawUser>;
  contexts: Map<string, RawContext>;
  currentContext?: string;
  /** Files that were read, in order. */
  files: string[];
}

/** Everything needed to talk to one API server, before credentials are resolved. */
export interface ConnectionSpec {
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  cluster: RawCluster;
  user: RawUser;
  namespace: string;
  /** The namespace came from -n or the context (not the `default` fallback). */
  namespaceExplicit: boolean;
  impersonate?: { user?: string; groups: string[] };
  inCluster: boolean;
  files: string[];
}

export class KubeconfigError extends Error {}

interface KubeconfigEnv {
  env: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
  exists?: (path: string) => boolean;
  home?: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function resolvePath(base: string, p: string | undefined): string | undefined {
  if (!p) return p;
  return isAbsolute(p) ? p : join(base, p);
}

/** Make the file references of one kubeconfig absolute, relative to the file's directory (as kubectl does). */
function absolutize(cluster: RawCluster | undefined, user: RawUser | undefined, base: string): void {
  if (cluster) cluster['certificate-authority'] = resolvePath(base, cluster['certificate-authority']);
  if (user) {
    user['client-certificate'] = resolvePath(base, user['client-certificate']);
    user['client-key'] = resolvePath(base, user['client-key']);
    user.tokenFile = resolvePath(base, user.tokenFile);
    // client-go resolves an exec command relative to the file only when it contains a path separator.
    const cmd = user.exec?.command;
    if (cmd && !isAbsolute(cmd) && cmd.includes('/')) user.exec!.command = join(base, cmd);
  }
}

/** Merge parsed kubeconfig documents in order; the first file to define a name or the current context wins. */
export function mergeKubeconfigs(docs: Array<{ path: string; text: string }>): MergedKubeconfig {
  const merged: MergedKubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const { path, text } of docs) {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new KubeconfigError(`kubeconfig ${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    merged.files.push(path);
    const d = asRecord(doc);
    if (!d) continue; // an empty file is allowed, as in kubectl
    const base = dirname(path);
    const section = <T>(key: string, inner: string, into: Map<string, T>) => {
      const list = d[key];
      if (list === undefined || list === null) return;
      if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig ${path}: ${key} must be a list`);
      for (const item of list) {
        const r = asRecord(item);
        const name = r?.['name'];
        if (typeof name !== 'string' || !name) continue;
        if (into.has(name)) continue; // first file wins
        const value = { ...(asRecord(r![inner]) ?? {}) } as T;
        if (inner === 'cluster') absolutize(value as RawCluster, undefined, base);
        if (inner === 'user') {
          const u = value as RawUser;
          if (u.exec) u.exec = { ...u.exec };
          absolutize(undefined, u, base);
        }
        into.set(name, value);
      }
    };
    section<RawCluster>('clusters', 'cluster', merged.clusters);
    section<RawUser>('users', 'user', merged.users);
    section<RawContext>('contexts', 'context', merged.contexts);
    const cur = d['current-context'];
    if (merged.currentContext === undefined && typeof cur === 'string' && cur) merged.currentContext = cur;
  }
  return merged;
}

/** Which files to read: --kubeconfig, else KUBECONFIG (missing entries skipped, like kubectl), else ~/.kube/config. */
export function kubeconfigFiles(flags: ClusterFlags, e: KubeconfigEnv): string[] {
  const exists = e.exists ?? existsSync;
  if (flags.kubeconfig) {
    if (!exists(flags.kubeconfig))
      throw new KubeconfigError(`kubeconfig ${flags.kubeconfig} (from --kubeconfig) does not exist`);
    return [flags.kubeconfig];
  }
  const env = e.env['KUBECONFIG'];
  if (env) {
    const list = env.split(delimiter).filter(Boolean);
    const present = list.filter((p) => exists(p));
    // Deduplicate while keeping the first occurrence, as client-go does.
    return [...new Set(present)];
  }
  const home = e.home ?? e.env['HOME'] ?? e.env['USERPROFILE'];
  if (home) {
    const p = join(home, '.kube', 'config');
    if (exists(p)) return [p];
  }
  return [];
}

function inClusterSpec(flags: ClusterFlags, e: KubeconfigEnv): ConnectionSpec | undefined {
  const host = e.env['KUBERNETES_SERVICE_HOST'];
  const port = e.env['KUBERNETES_SERVICE_PORT'];
  const exists = e.exists ?? existsSync;
  const read = e.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  if (!host || !port || !exists(`${SA_DIR}/token`)) return undefined;
  const h = host.includes(':') ? `[${host}]` : host;
  let ns = 'default';
  let nsExplicit = false;
  try {
    ns = read(`${SA_DIR}/namespace`).trim() || 'default';
    nsExplicit = true;
  } catch {
    /* no namespace file */
  }
  const spec: ConnectionSpec = {
    contextName: 'in-cluster',
    clusterName: 'in-cluster',
    userName: 'service-account',
    server: `https://${h}:${port}`,
    cluster: { 'certificate-authority': `${SA_DIR}/ca.crt` },
    user: { tokenFile: `${SA_DIR}/token` },
    namespace: ns,
    namespaceExplicit: nsExplicit,
    inCluster: true,
    files: [],
  };
  return applyOverrides(spec, flags);
}

function applyOverrides(spec: ConnectionSpec, flags: ClusterFlags): ConnectionSpec {
  const s: ConnectionSpec = { ...spec, cluster: { ...spec.cluster }, user: { ...spec.user } };
  if (flags.server) s.server = flags.server;
  if (flags.insecureSkipTlsVerify) {
    // client-go drops the CA when the flag is given, so the two never conflict.
    s.cluster['insecure-skip-tls-verify'] = true;
    delete s.cluster['certificate-authority'];
    delete s.cluster['certificate-authority-data'];
  }
  if (flags.token) {
    s.user = { ...s.user, token: flags.token };
    delete s.user.tokenFile;
    delete s.user.exec;
    delete s.user['auth-provider'];
    delete s.user.username;
    delete s.user.password;
  }
  if (flags.namespace) {
    s.namespace = flags.namespace;
    s.namespaceExplicit = true;
  }
  const impUser = flags.as ?? s.user.as;
  const impGroups = flags.asGroup?.length ? flags.asGroup : (s.user['as-groups'] ?? []);
  if (impUser || impGroups.length) s.impersonate = { user: impUser, groups: impGroups };
  return s;
}

/** Select the context and apply the flags. Throws KubeconfigError with a one-line reason. */
export function selectConnection(merged: MergedKubeconfig, flags: ClusterFlags): ConnectionSpec {
  const where = merged.files.length ? merged.files.join(', ') : 'kubeconfig';
  const contextName = flags.context ?? merged.currentContext;
  let ctx: RawContext = {};
  if (contextName) {
    const c = merged.contexts.get(contextName);
    if (!c) throw new KubeconfigError(`context "${contextName}" not found in ${where}`);
    ctx = c;
  } else if (!flags.cluster && !flags.server) {
    throw new KubeconfigError(
      `no current context in ${where}: pass --context NAME (see \`kubectl config get-contexts\`)`,
    );
  }
  const clusterName = flags.cluster ?? ctx.cluster ?? '';
  const userName = flags.user ?? ctx.user ?? '';
  let cluster: RawCluster = {};
  if (clusterName) {
    const c = merged.clusters.get(clusterName);
    if (!c) {
      if (!flags.server)
        throw new KubeconfigError(`cluster "${clusterName}" (context "${contextName ?? ''}") not found in ${where}`);
    } else cluster = c;
  }
  let user: RawUser = {};
  if (userName) {
    const u = merged.users.get(userName);
    if (!u) {
      if (!flags.token)
        throw new KubeconfigError(`user "${userName}" (context "${contextName ?? ''}") not found in ${where}`);
    } else user = u;
  }
  const server = flags.server ?? cluster.server;
  if (!server) throw new KubeconfigError(`cluster "${clusterName}" in ${where} has no server address`);
  const spec: ConnectionSpec = {
    contextName: contextName ?? '',
    clusterName,
    userName,
    server,
    cluster,
    user,
    namespace: ctx.namespace || 'default',
    namespaceExplicit: !!ctx.namespace,
    inCluster: false,
    files: merged.files,
  };
  return applyOverrides(spec, flags);
}

/** Load the connection kubectl would use with these flags, or explain in one line why there is none. */
export function loadConnectionSpec(flags: ClusterFlags, e: KubeconfigEnv): ConnectionSpec {
  const read = e.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const files = kubeconfigFiles(flags, e);
  if (files.length === 0) {
    const inCluster = inClusterSpec(flags, e);
    if (inCluster) return inCluster;
    if (flags.server) {
      return applyOverrides(
        {
          contextName: '',
          clusterName: '',
          userName: '',
          server: flags.server,
          cluster: {},
          user: {},
          namespace: 'default',
          namespaceExplicit: false,
          inCluster: false,
          files: [],
        },
        flags,
      );
    }
    const kc = e.env['KUBECONFIG'];
    throw new KubeconfigError(
      kc
        ? `no kubeconfig: none of the files in KUBECONFIG (${kc}) exists`
        : 'no kubeconfig: ~/.kube/config does not exist and KUBECONFIG is not set (use --kubeconfig FILE, or run inside a pod)',
    );
  }
  const docs = files.map((path) => {
    try {
      return { path, text: read(path) };
    } catch (err) {
      throw new KubeconfigError(
        `cannot read kubeconfig ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  });
  return selectConnection(mergeKubeconfigs(docs), flags);
}

export { parseDuration } from './duration.js';
