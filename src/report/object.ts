/** A Kubernetes object as `kubectl get -o json|yaml` prints it (attach/detach print the object they wrote). */
import { stringify } from 'yaml';

export function renderObjectJson(obj: unknown): string {
  return JSON.stringify(obj, null, 2) + '\n';
}

export function renderObjectYaml(obj: unknown): string {
  return stringify(obj);
}
