/** The install model the checks stand on: entrypoint flags, host↔container paths, node presence. */
import { describe, expect, it } from 'vitest';
import { installFacts, parseFlags, toContainer, toHost } from '../../src/model/multus-install.js';
import { presence } from '../../src/model/node-files.js';
import { dir, inspection, multus } from '../helpers/snapshot.js';
import { openshiftInstall } from './install-fixtures.js';

describe('install model', () => {
  it('reads --k=v, -k=v, --k v, bare booleans and flags inside sh -c', () => {
    const f = parseFlags({
      command: ['/bin/sh', '-c', 'exec /thin_entrypoint --cni-version 0.3.1 --cleanup-config-on-exit'],
      args: ['--multus-conf-file=auto', '-cni-conf-dir=/host/etc/cni/net.d'],
    });
    expect(f.get('cni-version')?.value).toBe('0.3.1');
    expect(f.get('cleanup-config-on-exit')?.value).toBe('true');
    expect(f.get('multus-conf-file')).toEqual({ value: 'auto', argIndex: 0 });
    expect(f.get('cni-conf-dir')?.argIndex).toBe(1);
  });
  it('maps paths through the longest mount, including / at /hostroot', () => {
    const m = openshiftInstall();
    expect(toHost(m, '/host/run/multus/cni/net.d/10-ovn-kubernetes.conf')).toBe(
      '/var/run/multus/cni/net.d/10-ovn-kubernetes.conf',
    );
    expect(toHost(m, '/hostroot/var/lib/rancher/k3s/agent/etc/cni/net.d')).toBe(
      '/var/lib/rancher/k3s/agent/etc/cni/net.d',
    );
    expect(toHost(m, '/usr/src/multus-cni/bin')).toBeUndefined();
    expect(toContainer(m, '/etc/kubernetes/cni/net.d/00-multus.conf')).toBe('/host/etc/cni/net.d/00-multus.conf');
  });
  it('thin defaults come from the entrypoint; a thick install reads its daemon config', () => {
    const thin = installFacts(multus({ args: [] }));
    expect(thin.writeDir).toEqual({ container: '/host/etc/cni/net.d', host: '/etc/cni/net.d' });
    expect(thin.opaque).toBe(false);
    const os = installFacts(openshiftInstall());
    expect(os).toMatchObject({
      mode: 'thick',
      binary: 'multus-shim',
      writeDir: { host: '/etc/kubernetes/cni/net.d' },
      autoconfigDir: { host: '/var/run/multus/cni/net.d' },
    });
  });
  it('presence: "unknown" is not "absent"; /var/run and /run are one directory', () => {
    const ins = inspection({
      dirs: { '/run/multus/cni/net.d': dir(['10-ovn-kubernetes.conf']), '/etc/cni/net.d': dir([]) },
      paths: { '/run/cni/dhcp.sock': false },
    });
    expect(presence(ins, '/var/run/multus/cni/net.d/10-ovn-kubernetes.conf')).toBe('present');
    expect(presence(ins, '/run/cni/dhcp.sock')).toBe('absent');
    expect(presence(ins, '/etc/cni/net.d/multus.d/multus.kubeconfig')).toBe('absent');
    expect(presence(ins, '/opt/cni/bin/macvlan')).toBe('unknown');
    expect(presence(undefined, '/etc/cni/net.d')).toBe('unknown');
  });
});
