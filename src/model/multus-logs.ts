/**
 * What a multus container's log says about why it is not running. The thin entrypoint prints
 * its reason and exits 0 ("Completed"), so the log, not the exit code, carries the cause.
 * Strings from multus cmd/thin_entrypoint, cmd/multus-daemon, pkg/server/config (§A1, §A2).
 */
export interface LogCause {
  /** Check id whose page explains the fix. */
  check: string;
  /** One clause for a message. */
  says: string;
}

const RULES: Array<{ re: RegExp; cause: LogCause }> = [
  {
    re: /cannot find valid master CNI config in|cannot find master CNI config in|could not find a plugin configuration in|failed to find the cluster master CNI plugin|Attemping to find master plugin configuration/,
    cause: { check: 'multus-conf-wrong-dir', says: 'multus finds no primary CNI config in the directory it watches' },
  },
  {
    re: /(cni-conf-dir|cni-bin-dir|multus-bin-file|multus-conf-file) is not found/,
    cause: { check: 'multus-conf-wrong-dir', says: 'a path given to the entrypoint is not mounted into the container' },
  },
  {
    re: /still waiting for readinessindicatorfile/,
    cause: { check: 'multus-readiness-indicator-missing', says: 'the readiness indicator file never appeared' },
  },
  {
    re: /Multus cni version is .* while master plugin cni version is|the CNI version is a mandatory parameter|delegate cni version is .* while top level cni version is/,
    cause: { check: 'multus-cniversion-mismatch', says: "multus's cniVersion does not fit the primary CNI config" },
  },
  {
    re: /Text file busy/,
    cause: {
      check: 'multus-pods-not-ready',
      says: 'the init container cannot overwrite a binary the runtime is executing ("Text file busy")',
    },
  },
  {
    re: /executable file not found/,
    cause: {
      check: 'multus-pods-not-ready',
      says: 'the container command does not exist in this image (manifest and image versions differ)',
    },
  },
  {
    re: /failed to load the multus configuration|LoadDaemonNetConf|failed to create the configuration manager/,
    cause: { check: 'multus-thick-config-mismatch', says: 'the thick daemon rejects its configuration' },
  },
];

export function classifyLog(line: string): LogCause | undefined {
  return RULES.find((r) => r.re.test(line))?.cause;
}

/** Multus (or the runtime on its behalf) could not find its primary config: proof of a directory problem. */
export const NO_MASTER_CONFIG = RULES[0]!.re;
