import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { effectiveSubnetLen, leaseRange, parseFlannelNetConf, parseSubnetEnv } from '../../src/model/flannel.js';
import { formatIp } from '../../src/model/cidr.js';
import { SHARED } from '../helpers/cli.js';

const DIR = join(SHARED, 'corpus', 'flannel');

/** net-conf.json values from the ConfigMaps in the corpus (the template and jsonnet are not YAML). */
function netConfs(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('flannel-io__flannel__config'))) {
    for (const d of parseAllDocuments(readFileSync(join(DIR, f), 'utf8'))) {
      const v = d.toJS() as { kind?: string; data?: Record<string, string> } | null;
      const nc = v?.kind === 'ConfigMap' ? v.data?.['net-conf.json'] : undefined;
      if (nc) out.push([f, nc]);
    }
  }
  return out;
}

describe('flannel net-conf.json parser on the corpus', () => {
  const confs = netConfs();
  it('finds the ConfigMaps', () => expect(confs.length).toBeGreaterThanOrEqual(15));
  it.each(confs)('%s parses with an IPv4 Network', (_f, text) => {
    const c = parseFlannelNetConf(text);
    expect(c.problems).toEqual([]);
    expect(c.network?.family).toBe(4);
  });

  it('reads the documentation example with SubnetLen/SubnetMin/SubnetMax', () => {
    const c = parseFlannelNetConf(readFileSync(join(DIR, 'flannel-io__flannel__configuration.L55.json'), 'utf8'));
    expect(c).toMatchObject({ subnetLen: 20, subnetMin: '10.10.0.0', subnetMax: '10.99.0.0', backendType: 'udp' });
    const r = leaseRange(c)!;
    expect(formatIp(4, r.first)).toBe('10.10.0.0');
    expect(formatIp(4, r.last)).toBe('10.99.15.255');
  });

  it("applies flannel's defaults", () => {
    const c = parseFlannelNetConf('{"Network": "10.42.0.0/15"}');
    expect(effectiveSubnetLen(c)).toBe(24);
    const r = leaseRange(c)!;
    expect([formatIp(4, r.first), formatIp(4, r.last)]).toEqual(['10.42.1.0', '10.43.255.255']);
    expect(effectiveSubnetLen(parseFlannelNetConf('{"Network": "10.0.0.0/26"}'))).toBe(28);
  });

  it('reports a broken file and a bad Network', () => {
    expect(parseFlannelNetConf('{"Network": "10.42.0.0/16",}').problems[0]).toContain('not valid JSON');
    expect(parseFlannelNetConf('{"Network": "10.42.0.0"}').problems[0]).toContain('not an IPv4 CIDR');
  });
});

describe('subnet.env parser', () => {
  it('reads the variables flannel writes', () => {
    const e = parseSubnetEnv(
      'FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.0.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
    );
    expect(e.network?.text).toBe('10.42.0.0/16');
    expect(formatIp(4, e.subnet!.first)).toBe('10.42.0.0');
    expect(e.mtu).toBe(1450);
  });
});
