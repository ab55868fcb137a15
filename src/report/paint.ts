/** The one chalk instance maker of every human output (findings, lists, attach/detach): chalk stays under src/report/. */
import { Chalk } from 'chalk';

export type Paint = InstanceType<typeof Chalk>;

export function paint(color: boolean): Paint {
  return new Chalk({ level: color ? 1 : 0 });
}
