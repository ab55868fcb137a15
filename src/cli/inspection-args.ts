/** The node-inspection flags of check and sysdump, validated (cluster-commands.ts parses them). */
export interface InspectionArgs {
  inspectNodes: 'auto' | 'always' | 'never';
  image: string;
  inspectorNamespace: string | undefined;
  printImages: boolean;
  concurrency: number;
  execTimeoutMs: number;
  timeoutMs: number;
}
