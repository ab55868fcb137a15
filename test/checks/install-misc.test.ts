/** dhcp-daemon-missing, whereabouts-missing, cilium-cni-exclusive, multus-cniversion-mismatch, multus-kubeconfig-token-expired, k3s-embedded-flannel */
import { describe, expect, it } from 'vitest';
import { dhcpDaemonMissing } from '../../src/checks/install/dhcp-daemon-missing.js';
import { whereaboutsMissing } from '../../src/checks/install/whereabouts-missing.js';
import { ciliumCniExclusive } from '../../src/checks/install/cilium-cni-exclusive.js';
import { multusCniversionMismatch } from '../../src/checks/install/multus-cniversion-mismatch.js';
import { multusKubeconfigTokenExpired } from '../../src/checks/install/multus-kubeconfig-token-expired.js';
import { k3sEmbeddedFlannel } from '../../src/checks/install/k3s-embedded-flannel.js';
import { kubeconfigTokenExp, jwtExp } from '../../src/model/jwt.js';
import { dir, multus, nad, node, run, snapshot } from '../helpers/snapshot.js';
import type { NodeInfo } from '../../src/snapshot/types.js';
import {
  FLANNEL_CONFLIST,
  K3S_CONF,
  k3sRuntime,
  lab,
  labJson,
  labNode,
  REF_PLUGINS,
  thickInstall,
  thickNode,
  UPSTREAM_DAEMON,
} from './install-fixtures.js';
import { itCorpus } from '../helpers/corpus.js';

const THIN = (kubeconfig = '/etc/cni/net.d/multus.d/multus.kubeconfig', primary = FLANNEL_CONFLIST) =>
  JSON.stringify({
    cniVersion: '0.3.1',
    name: 'multus-cni-network',
    type: 'multus',
    kubeconfig,
    delegates: [JSON.parse(primary)],
  });

function thinNode(
  p: {
    files?: Record<string, string>;
    paths?: Record<string, boolean>;
    primary?: string;
    bin?: string[];
    extraDirs?: Record<string, ReturnType<typeof dir>>;
  } = {},
): NodeInfo {
  const primary = p.primary ?? FLANNEL_CONFLIST;
  return labNode('n1', {
    runtime: { kind: 'containerd', confDir: '/etc/cni/net.d', binDirs: ['/opt/cni/bin'] },
    dirs: {
      '/etc/cni/net.d': dir(['00-multus.conf', '10-flannel.conflist', ...Object.keys(p.files ?? {})]),
      '/opt/cni/bin': dir(p.bin ?? ['multus', 'flannel', ...REF_PLUGINS]),
      ...p.extraDirs,
    },
    files: {
      '/etc/cni/net.d/00-multus.conf': { exists: true, content: THIN(undefined, primary) },
      '/etc/cni/net.d/10-flannel.conflist': { exists: true, content: primary },
      ...Object.fromEntries(
        Object.entries(p.files ?? {}).map(([n, c]) => [`/etc/cni/net.d/${n}`, { exists: true, content: c }]),
      ),
    },
    paths: p.paths,
  });
}

const DHCP_NAD = () => {
  const n = labJson('dhcp-no-daemon__nad-lan-dhcp-nodaemon.json');
  return nad(n.metadata.name, n.spec.config, { namespace: n.metadata.namespace });
};

describe('dhcp-daemon-missing', () => {
  itCorpus('fires for the lab NAD whose daemonSocketPath does not exist on the node', () => {
    const n = thinNode({ paths: { '/run/cni/dhcp-absent.sock': false } });
    const fs = run(
      dhcpDaemonMissing,
      snapshot({ multus: [multus({ pods: undefined })], nodes: [n], nads: [DHCP_NAD()] }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('/run/cni/dhcp-absent.sock does not exist on n1');
    expect(fs[0]!.fix).toContain('"daemonSocketPath": "/run/cni/dhcp-absent.sock"');
  });
  it("rke2: the chart's DHCP DaemonSet", () => {
    const n = thinNode({ paths: { '/run/cni/dhcp.sock': false } });
    const fs = run(
      dhcpDaemonMissing,
      snapshot({
        cluster: { distribution: 'rke2' },
        multus: [multus({ pods: undefined })],
        nodes: [n],
        nads: [nad('d', { cniVersion: '0.3.1', type: 'macvlan', ipam: { type: 'dhcp' } })],
      }),
    );
    expect(fs[0]!.fix).toContain('dhcpDaemonSet: true');
  });
  itCorpus('warning (not error) when no node could be checked and no DaemonSet runs the daemon', () => {
    const fs = run(
      dhcpDaemonMissing,
      snapshot({ multus: [multus({ pods: undefined })], nodes: [node('n1')], daemonSets: [], nads: [DHCP_NAD()] }),
    );
    expect(fs.map((f) => f.severity).sort()).toEqual(['info', 'warning']);
  });
  it('does not fire when the socket exists (the lab healthy NAD)', () => {
    const n = thinNode({ paths: { '/run/cni/dhcp.sock': true } });
    expect(
      run(
        dhcpDaemonMissing,
        snapshot({
          multus: [multus({ pods: undefined })],
          nodes: [n],
          nads: [nad('d', { cniVersion: '0.3.1', type: 'macvlan', ipam: { type: 'dhcp' } })],
        }),
      ),
    ).toEqual([]);
  });
});

describe('whereabouts-missing', () => {
  const WB = nad('storage', {
    cniVersion: '0.3.1',
    type: 'macvlan',
    master: 'eth1',
    ipam: { type: 'whereabouts', range: '192.168.4.0/24' },
  });
  it('K3s (seed 004): CRDs missing and no config file where whereabouts looks; suggests configuration_path', () => {
    const n = labNode('k1', {
      runtime: k3sRuntime(),
      dirs: {
        [K3S_CONF]: dir(['00-multus.conf']),
        '/etc/cni/net.d': dir([], false),
        '/etc/kubernetes/cni/net.d': dir([], false),
        '/var/lib/rancher/k3s/data/cni': dir(['multus', 'macvlan', 'whereabouts']),
        '/opt/cni/bin': dir([], false),
      },
      files: {
        [`${K3S_CONF}/00-multus.conf`]: { exists: true, content: THIN(`${K3S_CONF}/multus.d/multus.kubeconfig`) },
      },
    });
    const fs = run(
      whereaboutsMissing,
      snapshot({
        cluster: { distribution: 'k3s', crds: ['network-attachment-definitions.k8s.cni.cncf.io'] },
        multus: [multus({ pods: undefined })],
        nodes: [n],
        nads: [WB],
      }),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('ippools.whereabouts.cni.cncf.io');
    expect(fs[0]!.message).toContain('config file (whereabouts.d/whereabouts.conf) is missing on k1');
    expect(fs[0]!.fix).toContain(`"configuration_path": "${K3S_CONF}/whereabouts.d/whereabouts.conf"`);
    expect(fs[0]!.fix).toContain('rke2-whereabouts:\n  enabled: true');
  });
  it('does not fire on OpenShift-like setups with CRDs, binary and the flat file', () => {
    const n = thinNode({
      extraDirs: { '/etc/cni/net.d/whereabouts.d': dir(['whereabouts.conf', 'whereabouts.kubeconfig']) },
      bin: ['multus', 'flannel', 'whereabouts', ...REF_PLUGINS],
    });
    const s = snapshot({
      cluster: {
        distribution: 'kubeadm',
        crds: ['ippools.whereabouts.cni.cncf.io', 'overlappingrangeipreservations.whereabouts.cni.cncf.io'],
      },
      multus: [multus({ pods: undefined })],
      nodes: [n],
      nads: [WB],
    });
    expect(run(whereaboutsMissing, s)).toEqual([]);
  });
});

describe('cilium-cni-exclusive', () => {
  it('fires on cni-exclusive "true" with multus installed', () => {
    const fs = run(
      ciliumCniExclusive,
      snapshot({ multus: [multus()], cilium: { config: { 'cni-exclusive': 'true' }, namespace: 'kube-system' } }),
    );
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.fix).toContain('cni.exclusive=false');
  });
  it('fires on a renamed multus config even when the ConfigMap was not read; RKE2 fix is a HelmChartConfig', () => {
    const n = labNode('n1', {
      runtime: { kind: 'containerd', confDir: '/etc/cni/net.d' },
      dirs: { '/etc/cni/net.d': dir(['00-multus.conf.cilium_bak', '05-cilium.conflist']) },
      files: { '/etc/cni/net.d/00-multus.conf.cilium_bak': { exists: true, content: THIN() } },
    });
    const fs = run(ciliumCniExclusive, snapshot({ cluster: { distribution: 'rke2' }, multus: [multus()], nodes: [n] }));
    expect(fs[0]!.message).toContain('renamed the multus config to *.cilium_bak on n1');
    expect(fs[0]!.fix).toContain('name: rke2-cilium');
  });
  it('does not fire with cni-exclusive "false", or without multus', () => {
    expect(
      run(ciliumCniExclusive, snapshot({ multus: [multus()], cilium: { config: { 'cni-exclusive': 'false' } } })),
    ).toEqual([]);
    expect(run(ciliumCniExclusive, snapshot({ multus: [], cilium: { config: { 'cni-exclusive': 'true' } } }))).toEqual(
      [],
    );
  });
});

describe('multus-cniversion-mismatch', () => {
  const K3S_FLANNEL = FLANNEL_CONFLIST.replace('"0.3.1"', '"1.0.0"');
  it('thin pinned --cni-version=0.3.1 against a 1.0.0 primary', () => {
    const m = multus({
      pods: undefined,
      args: ['--multus-conf-file=auto', '--cni-version=0.3.1', '--cni-conf-dir=/host/etc/cni/net.d'],
    });
    const fs = run(multusCniversionMismatch, snapshot({ multus: [m], nodes: [thinNode({ primary: K3S_FLANNEL })] }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain('10-flannel.conflist is at 1.0.0');
    expect(fs[0]!.fix).toContain('"op":"remove","path":"/spec/template/spec/containers/0/args/1"');
  });
  it('multus v3.9 (MicroK8s addon) with a 1.0.0 NAD', () => {
    const m = multus({
      pods: undefined,
      image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v3.9',
      version: 'v3.9',
      command: ['/entrypoint.sh'],
      args: ['--multus-conf-file=auto', '--cni-version=0.3.1'],
    });
    const fs = run(
      multusCniversionMismatch,
      snapshot({
        cluster: { distribution: 'microk8s' },
        multus: [m],
        nodes: [],
        nads: [nad('lan', { cniVersion: '1.0.0', type: 'macvlan' })],
      }),
    );
    expect(fs[0]!.message).toContain('predates CNI 1.0.0');
    expect(fs[0]!.fix).toContain('MicroK8s addon ships v3.9');
  });
  it('thick daemon config without cniVersion', () => {
    const d = JSON.parse(UPSTREAM_DAEMON);
    delete d.cniVersion;
    const fs = run(
      multusCniversionMismatch,
      snapshot({
        multus: [thickInstall({ daemonConfig: { source: 'cm', content: JSON.stringify(d) } })],
        nodes: [thickNode()],
      }),
    );
    expect(fs[0]!.message).toContain('no "cniVersion"');
  });
  it('no finding: thin without --cni-version, thick 0.3.1 over a 1.0.0 primary (each delegate keeps its own)', () => {
    expect(
      run(
        multusCniversionMismatch,
        snapshot({ multus: [multus({ pods: undefined })], nodes: [thinNode({ primary: K3S_FLANNEL })] }),
      ),
    ).toEqual([]);
    const n = thickNode();
    n.inspection!.files['/etc/cni/net.d/10-flannel.conflist'] = { exists: true, content: K3S_FLANNEL };
    expect(run(multusCniversionMismatch, snapshot({ multus: [thickInstall()], nodes: [n] }))).toEqual([]);
  });
});

/** A compact JWT with the given exp (unsigned: only the payload is read). */
function jwt(exp: number): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256' })}.${b({ iss: 'kubernetes/serviceaccount', exp })}.c2ln`;
}

describe('multus-kubeconfig-token-expired', () => {
  const collectedAt = '2026-11-23T17:20:00Z';
  const now = Date.parse(collectedAt) / 1000;
  const withToken = (exp: number, how: 'jwtExp' | 'marker' | 'raw') => {
    const kc = lab('multus.kubeconfig.redacted');
    const content =
      how === 'marker'
        ? kc.replace('token: REDACTED', `token: REDACTED:jwt:exp=${exp}`)
        : how === 'raw'
          ? kc.replace('token: REDACTED', `token: ${jwt(exp)}`)
          : kc;
    const n = thinNode();
    n.inspection!.files['/etc/cni/net.d/multus.d/multus.kubeconfig'] = {
      exists: true,
      content,
      redacted: how !== 'raw',
      ...(how === 'jwtExp' ? { jwtExp: exp } : {}),
    };
    return n;
  };
  itCorpus(
    'error when the token expired before the snapshot was taken (from jwtExp, the redaction marker, or a raw JWT)',
    () => {
      for (const how of ['jwtExp', 'marker', 'raw'] as const) {
        const fs = run(
          multusKubeconfigTokenExpired,
          snapshot({ collectedAt, multus: [multus({ pods: undefined })], nodes: [withToken(now - 3600, how)] }),
        );
        expect(
          fs.map((f) => f.severity),
          how,
        ).toEqual(['error']);
        expect(fs[0]!.fix).toContain('--cleanup-config-on-exit=true');
      }
    },
  );
  itCorpus('warning for thin without --cleanup-config-on-exit=true, with the current expiry', () => {
    const fs = run(
      multusKubeconfigTokenExpired,
      snapshot({ collectedAt, multus: [multus({ pods: undefined })], nodes: [withToken(now + 86400, 'jwtExp')] }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
    expect(fs[0]!.message).toContain('expires 2026-11-24T17:20:00Z');
  });
  itCorpus('nothing with --cleanup-config-on-exit=true and a valid token, nor for thick', () => {
    const m = multus({ pods: undefined, args: ['--multus-conf-file=auto', '--cleanup-config-on-exit=true'] });
    expect(
      run(multusKubeconfigTokenExpired, snapshot({ collectedAt, multus: [m], nodes: [withToken(now + 60, 'jwtExp')] })),
    ).toEqual([]);
    expect(
      run(multusKubeconfigTokenExpired, snapshot({ collectedAt, multus: [thickInstall()], nodes: [thickNode()] })),
    ).toEqual([]);
  });
  it('the JWT reader returns only exp and ignores what is not a JWT', () => {
    expect(jwtExp(jwt(1234))).toBe(1234);
    expect(jwtExp('REDACTED')).toBeUndefined();
    expect(kubeconfigTokenExp('users:\n- name: multus\n  user:\n    token: "REDACTED:jwt:exp=99"\n')).toBe(99);
  });
});

describe('k3s-embedded-flannel', () => {
  it("explains where K3s keeps flannel's files (info)", () => {
    const n = labNode('k1', {
      runtime: k3sRuntime(),
      dirs: { [K3S_CONF]: dir(['00-multus.conf', '10-flannel.conflist']) },
      files: {
        [`${K3S_CONF}/10-flannel.conflist`]: { exists: true, content: FLANNEL_CONFLIST.replace('"0.3.1"', '"1.0.0"') },
        [`${K3S_CONF}/00-multus.conf`]: { exists: true, content: THIN() },
      },
    });
    const fs = run(
      k3sEmbeddedFlannel,
      snapshot({
        cluster: { distribution: 'k3s' },
        flannel: {
          source: '/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json',
          mode: 'kube-subnet-mgr',
          embedded: true,
        },
        nodes: [n],
      }),
    );
    expect(fs.map((f) => f.severity)).toEqual(['info']);
    expect(fs[0]!.message).toContain(`${K3S_CONF}/10-flannel.conflist (written by K3s, cniVersion 1.0.0)`);
    expect(
      fs[0]!.evidence.some((e) => e.label === 'multus delegates to' && e.value === 'cbr0 (cniVersion 0.3.1)'),
    ).toBe(true);
  });
  it('not on other distributions, nor on K3s with a flannel DaemonSet', () => {
    expect(
      run(
        k3sEmbeddedFlannel,
        snapshot({
          cluster: { distribution: 'kubeadm' },
          flannel: { source: 'x', mode: 'kube-subnet-mgr', embedded: true },
        }),
      ),
    ).toEqual([]);
    expect(
      run(
        k3sEmbeddedFlannel,
        snapshot({
          cluster: { distribution: 'k3s' },
          flannel: { source: 'configmap kube-flannel/kube-flannel-cfg', mode: 'kube-subnet-mgr', embedded: false },
        }),
      ),
    ).toEqual([]);
  });
});
