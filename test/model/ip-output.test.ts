import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/cli.js';
import {
  parseIpOutput,
  findInterface,
  assignedAddresses,
  normalizeMac,
  type IpOutput,
} from '../../src/model/ip-output.js';
import { describeCorpus, itCorpus } from '../helpers/corpus.js';

const IPDIR = join(SHARED, 'corpus', 'ip-output');
const LAB = join(SHARED, 'corpus', 'lab');

function parseFile(dir: string, name: string): IpOutput {
  return parseIpOutput(readFileSync(join(dir, name), 'utf8'));
}

function names(o: IpOutput): string[] {
  return o.interfaces.map((i) => i.name);
}

function cidrs(o: IpOutput, name: string): string[] {
  return findInterface(o, name)?.addresses.map((a) => a.cidr) ?? [];
}

/** Hand-read from each capture: interface names in order, and what net1 (or the named one) carries. */
interface Expect {
  names: string[];
  iface?: string;
  index?: number;
  link?: string;
  mac?: string | null;
  mtu?: number;
  addrs?: string[];
  carrier?: boolean;
  up?: boolean;
  master?: string;
}

const PUBLIC: Record<string, Expect> = {
  'adrian-pino__multuscni-tests__readme.txt': {
    names: ['lo', 'tunl0', 'eth0', 'net1'],
    index: 5,
    link: 'tunl0',
    mac: 'fa:16:3e:7b:42:e6',
    mtu: 1500,
    addrs: ['172.16.10.130/24'],
    up: true,
  },
  'antrea-io__antrea__README.L269.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 4,
    link: 'if4',
    mac: 'be:a0:35:f2:08:2d',
    mtu: 1500,
    addrs: ['192.168.78.205/24'],
  },
  'cncf__cnf-testbed__README.L48.txt': {
    names: ['net1', 'net2'],
    index: 8,
    mac: null,
    mtu: 1500,
    addrs: ['10.61.16.4/24'],
  },
  'k8snetworkplumbingwg__ovs-cni__README.L57.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 5,
    link: 'if12',
    mac: 'e6:f4:2e:b4:4b:6e',
    addrs: [],
  },
  'k8snetworkplumbingwg__sriov-network-device-plugin__README.L82.txt': {
    names: ['lo', 'eth0', 'bond0', 'net2', 'net1'],
    index: 151,
    mac: 'e2:c7:95:85:be:89',
    addrs: [],
    master: 'bond0',
  },
  'onap__multicloud-k8s__README.L255.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 5,
    link: 'if544',
    mac: '46:9d:68:90:f1:eb',
    addrs: ['10.20.0.12/16'],
  },
  'onap__multicloud-k8s__README.L355.txt': {
    names: ['lo', 'eth0', 'net2', 'net1'],
    index: 414,
    mac: 'de:d0:73:53:08:66',
    addrs: ['10.56.206.3/24'],
    carrier: false,
    up: true,
  },
  'spidernet-io__spiderpool__get-started-kind.L238.txt': {
    names: ['eth0', 'net1'],
    index: 5,
    link: 'if347',
    mac: '56:b4:3d:a6:d2:d1',
    addrs: ['172.18.40.154/16'],
  },
  'tliron__kind-multus-poc__README.L29.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if21424',
    mac: '96:32:2c:e4:3e:77',
    addrs: ['10.1.1.84/24', 'fe80::9432:2cff:fee4:3e77/64'],
  },
  'yagosys__202301__demo_macvlan.L837.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 4,
    link: 'if2',
    mac: '8e:2c:2a:6b:90:49',
    mtu: 9001,
    addrs: ['10.1.200.252/24', 'fe80::8c2c:2aff:fe6b:9049/64'],
  },
  'yagosys__202301__demo_with_calico.L460.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 4,
    link: 'if16',
    mac: '0e:72:39:68:6d:ee',
    addrs: ['10.1.128.2/24', 'fe80::c72:39ff:fe68:6dee/64'],
  },
  'yagosys__202301__demo_with_flannel.L981.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if8',
    mac: 'c2:9f:df:52:88:dd',
    addrs: ['10.1.128.2/24', 'fe80::c09f:dfff:fe52:88dd/64'],
  },
  // Two pods' `ip --br a` pasted one after the other.
  'yagosys__202301__sample_deployment_cfos_and_application.L369.txt': {
    names: ['lo', 'eth0', 'net1', 'lo', 'eth0', 'net1'],
    link: 'if15',
    addrs: ['10.1.128.2/24', 'fe80::c8fe:c0ff:feff:2/64'],
    up: true,
  },
};

const LAB_EXPECT: Record<string, Expect> = {
  'annotation-misplaced__ip-addr.txt': { names: ['lo', 'eth0'] },
  'conf-not-first__ip-addr.txt': { names: ['lo', 'eth0'] },
  'conf-not-first__ip-j-addr.json': { names: ['lo', 'eth0'] },
  'k3s-upstream-thin__ip-addr.txt': { names: ['lo', 'eth0'] },
  'healthy-busybox__busybox-ip-addr.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if78',
    mac: '26:6c:54:4e:b0:86',
    mtu: 1500,
    addrs: ['192.168.77.102/24', 'fe80::246c:54ff:fe4e:b086/64'],
    up: true,
    carrier: true,
  },
  'healthy-busybox__busybox-ip-o-addr.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    addrs: ['192.168.77.102/24', 'fe80::246c:54ff:fe4e:b086/64'],
  },
  'healthy-dhcp-mac__ip-addr.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if78',
    mac: '02:6b:61:62:00:09',
    mtu: 1500,
    addrs: ['192.168.77.216/24', 'fe80::6b:61ff:fe62:9/64'],
    up: true,
    carrier: true,
  },
  'healthy-dhcp-mac__ip-j-addr.json': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if78',
    mac: '02:6b:61:62:00:09',
    mtu: 1500,
    addrs: ['192.168.77.216/24', 'fe80::6b:61ff:fe62:9/64'],
    up: true,
    carrier: true,
  },
  'healthy-dhcp-mac__ip-o-addr.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    addrs: ['192.168.77.216/24', 'fe80::6b:61ff:fe62:9/64'],
  },
  'healthy-dhcp-mac__ip-d-link-show-net1.txt': {
    names: ['net1'],
    index: 3,
    link: 'if78',
    mac: '02:6b:61:62:00:09',
    addrs: [],
  },
  'healthy-hostlocal__ip-addr.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if78',
    mac: '5e:8a:d8:38:88:30',
    mtu: 1500,
    addrs: ['192.168.77.103/24', 'fe80::5c8a:d8ff:fe38:8830/64'],
  },
  'healthy-hostlocal__ip-j-addr.json': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if78',
    mac: '5e:8a:d8:38:88:30',
    mtu: 1500,
    addrs: ['192.168.77.103/24', 'fe80::5c8a:d8ff:fe38:8830/64'],
  },
  'healthy-hostlocal__ip-o-addr.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    addrs: ['192.168.77.103/24', 'fe80::5c8a:d8ff:fe38:8830/64'],
  },
  'healthy-hostlocal__ip-d-link-show-net1.txt': {
    names: ['net1'],
    index: 3,
    link: 'if78',
    mac: '5e:8a:d8:38:88:30',
    addrs: [],
  },
  'mac-no-capability__ip-addr.txt': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if78',
    mac: '02:6b:61:62:00:07',
    addrs: ['192.168.77.104/24', 'fe80::6b:61ff:fe62:7/64'],
  },
  'mac-no-capability__ip-j-addr.json': {
    names: ['lo', 'eth0', 'net1'],
    index: 3,
    link: 'if78',
    mac: '02:6b:61:62:00:07',
    addrs: ['192.168.77.104/24', 'fe80::6b:61ff:fe62:7/64'],
  },
  // Real captures in the lab folder that are not address listings: nothing may be invented from them.
  'healthy-dhcp-mac__ip-route.txt': { names: [] },
  'healthy-hostlocal__ip-route.txt': { names: [] },
};

function checkExpect(o: IpOutput, e: Expect): void {
  expect(names(o)).toEqual(e.names);
  if (e.names.length === 0) {
    expect(o.problems.length).toBeGreaterThan(0);
    return;
  }
  expect(o.problems).toEqual([]);
  const name = e.iface ?? 'net1';
  if (!e.names.includes(name)) return;
  const i = findInterface(o, name)!;
  if (e.index !== undefined) expect(i.index).toBe(e.index);
  if (e.link !== undefined) expect(i.link).toBe(e.link);
  if (e.mac !== undefined) expect(i.mac).toBe(e.mac ?? undefined);
  if (e.mtu !== undefined) expect(i.mtu).toBe(e.mtu);
  if (e.addrs !== undefined) expect(cidrs(o, name)).toEqual(e.addrs);
  if (e.carrier !== undefined) expect(i.carrier).toBe(e.carrier);
  if (e.up !== undefined) expect(i.up).toBe(e.up);
  if (e.master !== undefined) expect(i.master).toBe(e.master);
}

describeCorpus('parseIpOutput on every real capture', () => {
  it('has an expectation for every file in corpus/ip-output and every ip capture in corpus/lab', () => {
    expect(readdirSync(IPDIR).sort()).toEqual(Object.keys(PUBLIC).sort());
    const labIp = readdirSync(LAB).filter((f) => f.includes('ip') && /\.(txt|json)$/.test(f));
    expect(labIp.sort()).toEqual(Object.keys(LAB_EXPECT).sort());
  });

  for (const [f, e] of Object.entries(PUBLIC)) it(`corpus/ip-output/${f}`, () => checkExpect(parseFile(IPDIR, f), e));
  for (const [f, e] of Object.entries(LAB_EXPECT)) it(`corpus/lab/${f}`, () => checkExpect(parseFile(LAB, f), e));

  it('recognises the format of each lab capture', () => {
    expect(parseFile(LAB, 'healthy-hostlocal__ip-j-addr.json').format).toBe('json');
    expect(parseFile(LAB, 'healthy-hostlocal__ip-addr.txt').format).toBe('plain');
    expect(parseFile(LAB, 'healthy-hostlocal__ip-o-addr.txt').format).toBe('oneline');
    expect(parseFile(LAB, 'healthy-busybox__busybox-ip-o-addr.txt').format).toBe('oneline');
    expect(parseFile(IPDIR, 'yagosys__202301__sample_deployment_cfos_and_application.L369.txt').format).toBe('brief');
  });

  it('reads NO-CARRIER as up without carrier, and the state DOWN', () => {
    const o = parseFile(IPDIR, 'onap__multicloud-k8s__README.L355.txt');
    const n2 = findInterface(o, 'net2')!;
    expect(n2).toMatchObject({ up: true, carrier: false, state: 'DOWN', index: 413 });
    expect(findInterface(o, 'eth0')).toMatchObject({ up: true, carrier: true, state: 'UP', link: 'if429' });
  });

  it('reads tunl0@NONE (link NONE, NOARP only: not up) and net1@tunl0 (named parent)', () => {
    const o = parseFile(IPDIR, 'adrian-pino__multuscni-tests__readme.txt');
    expect(findInterface(o, 'tunl0')).toMatchObject({
      link: 'NONE',
      up: false,
      flags: ['NOARP'],
      linkType: 'ipip',
      addresses: [],
    });
    expect(findInterface(o, 'net1')!.link).toBe('tunl0');
  });

  it('keeps the address flags and scope (tentative IPv6 in the lab capture)', () => {
    for (const f of ['mac-no-capability__ip-addr.txt', 'mac-no-capability__ip-j-addr.json']) {
      const a = findInterface(parseFile(LAB, f), 'net1')!.addresses;
      expect(a[0]).toMatchObject({ address: '192.168.77.104', prefix: 24, family: 4, scope: 'global', flags: [] });
      expect(a[1]).toMatchObject({
        address: 'fe80::6b:61ff:fe62:7',
        prefix: 64,
        family: 6,
        scope: 'link',
        flags: ['tentative'],
      });
    }
  });

  it('leaves the IPv6 link-local address out of the assigned addresses', () => {
    const o = parseFile(LAB, 'healthy-hostlocal__ip-addr.txt');
    expect(assignedAddresses(findInterface(o, 'net1')!).map((a) => a.cidr)).toEqual(['192.168.77.103/24']);
    expect(assignedAddresses(findInterface(o, 'lo')!).map((a) => a.cidr)).toEqual(['127.0.0.1/8', '::1/128']);
  });
});

describe('parseIpOutput on hand-written forms', () => {
  it('reads `net1@eth0` (ipvlan/macvlan whose parent is visible in the namespace)', () => {
    const o = parseIpOutput(
      '5: net1@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n    inet 10.5.0.7/24 scope global net1\n',
    );
    expect(o.interfaces).toEqual([
      expect.objectContaining({
        name: 'net1',
        link: 'eth0',
        index: 5,
        mac: '52:54:00:12:34:56',
        addresses: [expect.objectContaining({ cidr: '10.5.0.7/24' })],
      }),
    ]);
  });

  it('reads `ip -o link` records whose continuation is joined with a backslash', () => {
    const o = parseIpOutput(
      '3: net1@if78: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 5e:8a:d8:38:88:30 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n',
    );
    expect(o.interfaces[0]).toMatchObject({
      name: 'net1',
      link: 'if78',
      mac: '5e:8a:d8:38:88:30',
      mtu: 1500,
      state: 'UP',
    });
  });

  itCorpus('reads `ip -d -o link` records (the lab `ip -d link show net1` capture joined as -o prints it)', () => {
    const oneLine = readFileSync(join(LAB, 'healthy-hostlocal__ip-d-link-show-net1.txt'), 'utf8')
      .trimEnd()
      .split('\n')
      .join('\\');
    const o = parseIpOutput(oneLine + '\n');
    expect(o.interfaces).toHaveLength(1);
    expect(o.interfaces[0]).toMatchObject({
      name: 'net1',
      link: 'if78',
      mac: '5e:8a:d8:38:88:30',
      mtu: 1500,
      state: 'UP',
      linkType: 'ether',
      addresses: [],
    });
  });

  it('reads `ip -br link` lines (MAC and flags)', () => {
    const o = parseIpOutput(
      'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>\nnet1@if78        UP             5e:8a:d8:38:88:30 <BROADCAST,MULTICAST,UP,LOWER_UP>\n',
    );
    expect(findInterface(o, 'net1')).toMatchObject({
      link: 'if78',
      mac: '5e:8a:d8:38:88:30',
      up: true,
      carrier: true,
      state: 'UP',
    });
  });

  it('reads a peer address (ptp) as the local address with a host prefix', () => {
    const o = parseIpOutput(
      '4: ppp0: <POINTOPOINT,UP,LOWER_UP> mtu 1400\n    inet 10.0.0.1 peer 10.0.0.2/32 scope global ppp0\n',
    );
    expect(cidrs(o, 'ppp0')).toEqual(['10.0.0.1/32']);
  });

  it('accepts ip -j output with the `{}` placeholders older iproute2 prints', () => {
    const o = parseIpOutput(
      '[{},{"ifindex":3,"ifname":"net1","link":"eth0","flags":["BROADCAST","UP"],"mtu":1400,"address":"02:00:00:00:00:01","addr_info":[{},{"family":"inet","local":"10.9.0.5","prefixlen":16}]}]',
    );
    expect(o.format).toBe('json');
    expect(o.interfaces).toHaveLength(1);
    expect(o.interfaces[0]).toMatchObject({ name: 'net1', link: 'eth0', up: true, carrier: false, mtu: 1400 });
    expect(cidrs(o, 'net1')).toEqual(['10.9.0.5/16']);
  });

  it('falls back to the text forms when a prompt starts with a bracket', () => {
    const o = parseIpOutput(
      '[root@pod /]# ip a\n1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n    inet 127.0.0.1/8 scope host lo\n',
    );
    expect(names(o)).toEqual(['lo']);
  });

  it("does not attach an address line to an interface across another command's output", () => {
    const o = parseIpOutput(
      '2: eth0: <UP,LOWER_UP> mtu 1500\n    inet 10.0.0.2/24 scope global eth0\n/ # some-other-command\n    inet 99.9.9.9/8 from elsewhere\n',
    );
    expect(cidrs(o, 'eth0')).toEqual(['10.0.0.2/24']);
  });

  it('reports empty, error and non-ip output as a problem with no interfaces', () => {
    for (const t of [
      '',
      '   \n',
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "ip": executable file not found in $PATH',
      '{"kind":"Status"}',
      'default via 10.42.0.1 dev eth0',
    ]) {
      const o = parseIpOutput(t);
      expect(o.interfaces).toEqual([]);
      expect(o.problems.length).toBeGreaterThan(0);
    }
  });

  it('normalises MACs for comparison and refuses what is not one', () => {
    expect(normalizeMac('02-6B-61-62-00-09')).toBe('02:6b:61:62:00:09');
    expect(normalizeMac('(...)')).toBeUndefined();
    expect(normalizeMac('02:6b:61:62:00')).toBeUndefined();
  });
});
