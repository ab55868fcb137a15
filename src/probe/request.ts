/**
 * What one `probe` run is asked to do, after the CLI validated the flags. Kept free of I/O so the
 * CLI layer can import it without loading the cluster client.
 */
export interface ProbeRequest {
  /** The NAD under test; namespace undefined = the context's namespace (-n wins). */
  nad: { namespace?: string; name: string };
  /** Nodes to put one test pod each on (a node named twice gets two pods). */
  nodes: string[];
  allNodes: boolean;
  /** Interface name in the test pods (default net1). */
  interface: string;
  /** Requested MACs / addresses, handed to the test pods in order (first value to the first pod). */
  macs: string[];
  ips: string[];
  image: string;
  /** How long to wait for the pods to reach Running (ms). */
  timeoutMs: number;
  /** Ping between the test pods when there are two or more. */
  ping: boolean;
  keep: boolean;
  /** Nodes to prefer when none were named (check --probe: where the NAD's users run). */
  preferNodes?: string[];
}

/** Exec timeouts: `ip` answers at once; ping is bounded by its own -w deadline. */
export const IP_EXEC_TIMEOUT_MS = 20_000;
export const PING_DEADLINE_S = 4;
export const PING_EXEC_TIMEOUT_MS = (PING_DEADLINE_S + 11) * 1000;

/**
 * activeDeadlineSeconds of a test pod: the backstop that ends it even if this process dies
 * (a second Ctrl-C, a lost connection). Long enough for the wait, the execs and --keep.
 */
export function deadlineSeconds(timeoutMs: number): number {
  return Math.max(600, Math.ceil(timeoutMs / 1000) + 300);
}
