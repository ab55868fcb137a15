/** A Kubernetes object as `kubectl get -o json|yaml` prints it (attach/detach print the object they wrote). */
import { stringify } from 'yaml';

export function renderObject(format: 'json' | 'yaml', obj: unknown): string {
  return format === 'json' ? JSON.stringify(obj, null, 2) + '\n' : stringify(obj);
}
