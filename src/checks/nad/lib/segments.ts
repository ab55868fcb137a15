/**
 * Which L2 segment a NAD's interface lands on, as far as the config tells: the master (or device)
 * for macvlan/ipvlan/host-device, master plus VLAN id for vlan, the bridge name (plus VLAN) for
 * bridge. Used to decide which NADs can hand out colliding addresses.
 */
import type { PluginConf } from '../../../model/cni-config.js';
import { goGet, goString } from '../../../model/go-json.js';
import { judgeable, masterInContainer } from './common.js';

export function segmentOf(main: PluginConf): { key: string; label: string } | undefined {
  if (masterInContainer(main)) return undefined;
  const t = main.type;
  if (t === 'macvlan' || t === 'ipvlan') {
    const m = goString(main.raw, 'master');
    if (m !== undefined && m !== '' && !judgeable(m)) return undefined;
    return m
      ? { key: `if:${m}`, label: `master ${m}` }
      : { key: 'if:<default-route>', label: 'the default-route interface' };
  }
  if (t === 'host-device') {
    const d = goString(main.raw, 'device');
    return judgeable(d) && d !== '' ? { key: `if:${d}`, label: `device ${d}` } : undefined;
  }
  if (t === 'vlan') {
    const m = goString(main.raw, 'master');
    const id = goGet(main.raw, 'vlanId');
    return judgeable(m) && m !== '' && typeof id === 'number'
      ? { key: `vlan:${m}.${id}`, label: `VLAN ${id} on ${m}` }
      : undefined;
  }
  if (t === 'bridge') {
    const b = goString(main.raw, 'bridge') || 'cni0';
    if (!judgeable(b)) return undefined;
    const vlan = goGet(main.raw, 'vlan');
    const tag = typeof vlan === 'number' && vlan > 0 ? `.${vlan}` : '';
    return { key: `br:${b}${tag}`, label: `bridge ${b}${tag ? ` VLAN ${vlan}` : ''}` };
  }
  return undefined;
}
