import { describe, expect, it } from 'vitest';
import { probeInterfaceMissing } from '../../src/checks/probe/probe-interface-missing.js';
import { run } from '../helpers/snapshot.js';
import { healthyHostLocal, lab, probe, probePod, probeSnapshot } from './probe-fixtures.js';

const ANNOTATION_MISPLACED_STATUS =
  '[{"name":"lab-bridge","interface":"eth0","ips":["10.42.0.19"],"mac":"ba:60:5d:81:c3:7b","default":true,"dns":{}}]';

describe('probe-interface-missing', () => {
  it('fires on the lab conf-not-first pod (eth0 only, no network-status): multus never ran', () => {
    for (const out of ['conf-not-first__ip-addr.txt', 'conf-not-first__ip-j-addr.json']) {
      const fs = run(
        probeInterfaceMissing,
        probeSnapshot([probe('macvlan-lan', [probePod('probe-a', { ipOutput: lab(out), networkStatus: '' })])]),
      );
      expect(fs).toHaveLength(1);
      expect(fs[0]!.severity).toBe('error');
      expect(fs[0]!.message).toContain('multus was never called');
      expect(fs[0]!.evidence[0]!.value).toBe(
        'lo 127.0.0.1/8,::1/128; eth0@if99 10.99.0.2/24,fe80::185c:aaff:febf:d089/64',
      );
      expect(fs[0]!.fix).toContain('/etc/cni/net.d');
    }
  });

  it('names the K3s conf dir on the lab k3s-upstream-thin pod', () => {
    const fs = run(
      probeInterfaceMissing,
      probeSnapshot(
        [
          probe('macvlan-lan', [
            probePod('probe-a', { ipOutput: lab('k3s-upstream-thin__ip-addr.txt'), networkStatus: '' }),
          ]),
        ],
        { cluster: { distribution: 'k3s' } },
      ),
    );
    expect(fs[0]!.fix).toContain('/var/lib/rancher/k3s/agent/etc/cni/net.d');
  });

  it('says multus ran but did not attach when network-status lists only the cluster network', () => {
    const fs = run(
      probeInterfaceMissing,
      probeSnapshot([
        probe('macvlan-lan', [
          probePod('probe-a', {
            ipOutput: lab('annotation-misplaced__ip-addr.txt'),
            networkStatus: ANNOTATION_MISPLACED_STATUS,
          }),
        ]),
      ]),
    );
    expect(fs[0]!.message).toContain('multus ran (network-status lists lab-bridge)');
  });

  it('is only a warning when the attachment exists under another name', () => {
    const ip = lab('healthy-hostlocal__ip-addr.txt');
    const fs = run(
      probeInterfaceMissing,
      probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ interface: 'lan0', ipOutput: ip })])]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe('warning');
    expect(fs[0]!.message).toContain('attached as net1');
  });

  it('is only info for a DPDK device listed in network-status with device-info (no kernel interface by design)', () => {
    const status =
      '[{"name":"default/macvlan-lan","interface":"net1","dns":{},"device-info":{"type":"pci","version":"1.1.0","pci":{"pci-address":"0000:3b:02.1"}}}]';
    const fs = run(
      probeInterfaceMissing,
      probeSnapshot([
        probe('macvlan-lan', [
          probePod('probe-a', { ipOutput: lab('conf-not-first__ip-addr.txt'), networkStatus: status }),
        ]),
      ]),
    );
    expect(fs.map((f) => f.severity)).toEqual(['info']);
    expect(fs[0]!.message).toContain('pci device');
  });

  it('does not fire on the lab healthy pods, in any output format', () => {
    for (const f of [
      'healthy-hostlocal__ip-addr.txt',
      'healthy-hostlocal__ip-j-addr.json',
      'healthy-hostlocal__ip-o-addr.txt',
      'healthy-busybox__busybox-ip-addr.txt',
      'healthy-busybox__busybox-ip-o-addr.txt',
    ]) {
      expect(
        run(probeInterfaceMissing, probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ ipOutput: lab(f) })])])),
      ).toEqual([]);
    }
  });

  it('does not take `ip -o addr` (which omits address-less interfaces) as proof, unless network-status shows multus never ran', () => {
    const oneline = lab('healthy-hostlocal__ip-o-addr.txt')
      .split('\n')
      .filter((l) => !l.startsWith('3: net1'))
      .join('\n');
    const withStatus = run(
      probeInterfaceMissing,
      probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ ipOutput: oneline })])]),
    );
    expect(withStatus.map((f) => f.severity)).toEqual(['info']);
    const noStatus = run(
      probeInterfaceMissing,
      probeSnapshot([probe('macvlan-lan', [healthyHostLocal({ ipOutput: oneline, networkStatus: '' })])]),
    );
    expect(noStatus.map((f) => f.severity)).toEqual(['error']);
  });

  it('says "could not verify" (info) when the ip output is unreadable, never an error', () => {
    const bad = probePod('probe-a', {
      ipOutput: 'OCI runtime exec failed: exec: "ip": executable file not found in $PATH',
    });
    const fs = run(
      probeInterfaceMissing,
      probeSnapshot([probe('macvlan-lan', [bad, probePod('probe-b', { error: 'exec forbidden' })])]),
    );
    expect(fs.map((f) => f.severity)).toEqual(['info', 'info']);
    expect(fs[1]!.message).toContain('exec forbidden');
  });

  it('stays silent when the pod did not start or the output was simply not collected', () => {
    const fs = run(
      probeInterfaceMissing,
      probeSnapshot([
        probe('macvlan-lan', [
          probePod('a', { started: false, ipOutput: lab('conf-not-first__ip-addr.txt') }),
          probePod('b'),
        ]),
      ]),
    );
    expect(fs).toEqual([]);
  });
});
