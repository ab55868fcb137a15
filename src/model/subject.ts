/** What a finding is about and what it points at: plain data shared by checks, model helpers and reporters. */
export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  node?: string;
}

export interface Evidence {
  /** File path (lint) or host path (node data). */
  path?: string;
  line?: number;
  column?: number;
  /** The offending value, an event text, a log line. */
  value?: string;
  node?: string;
  /** Free-form label saying what this evidence is ("DaemonSet hostPath", "event"). */
  label?: string;
}
