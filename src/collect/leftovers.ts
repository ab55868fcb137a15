/**
 * Pods this process created and then failed to delete (node-inspector or test pods), as
 * `namespace/name`. Cleanup code notes them here so that an interrupted run can name them instead
 * of claiming they were deleted (live.ts reads them when it reports the interruption).
 */
const leftoverPods: string[] = [];

export function noteLeftovers(names: string[]): void {
  for (const n of names) if (!leftoverPods.includes(n)) leftoverPods.push(n);
}

export function leftovers(): string[] {
  return [...leftoverPods];
}
