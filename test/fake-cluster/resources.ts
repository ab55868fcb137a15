/**
 * The resource catalogue: built-in types served by the fake, plus one entry per CustomResource-
 * Definition in the store (so deleting or omitting the NAD CRD removes `k8s.cni.cncf.io` from
 * discovery, as on a real cluster), and the discovery documents kubectl reads.
 */
import type { KObj } from './scenario.js';

export interface ResourceType {
  group: string;
  /** served versions, preferred first */
  versions: string[];
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: string[];
  /** review objects: create-only, never stored */
  virtual?: boolean;
  /** served from a CRD object in the store */
  crd?: boolean;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function t(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    versions: [version],
    resource,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    verbs: RW,
    subresources: [],
    ...extra,
  };
}

function builtins(serviceCIDRVersions: string[]): ResourceType[] {
  const list = [
    t('', 'v1', 'namespaces', 'Namespace', false, {
      shortNames: ['ns'],
      subresources: ['status'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    }),
    t('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: ['status'] }),
    t('', 'v1', 'pods', 'Pod', true, {
      shortNames: ['po'],
      categories: ['all'],
      subresources: ['status', 'exec', 'log'],
    }),
    t('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
    t('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
    t('', 'v1', 'secrets', 'Secret', true),
    t('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
    t('', 'v1', 'services', 'Service', true, { shortNames: ['svc'], categories: ['all'], subresources: ['status'] }),
    t('apps', 'v1', 'daemonsets', 'DaemonSet', true, {
      shortNames: ['ds'],
      categories: ['all'],
      subresources: ['status'],
    }),
    t('apps', 'v1', 'deployments', 'Deployment', true, {
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: ['status'],
    }),
    t('apps', 'v1', 'statefulsets', 'StatefulSet', true, {
      shortNames: ['sts'],
      categories: ['all'],
      subresources: ['status'],
    }),
    t('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
      shortNames: ['rs'],
      categories: ['all'],
      subresources: ['status'],
    }),
    t('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
    t('batch', 'v1', 'jobs', 'Job', true, { categories: ['all'], subresources: ['status'] }),
    t('batch', 'v1', 'cronjobs', 'CronJob', true, {
      shortNames: ['cj'],
      categories: ['all'],
      subresources: ['status'],
    }),
    t('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
      shortNames: ['crd', 'crds'],
      subresources: ['status'],
    }),
    t('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
    t('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
    t('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
    t('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
    t('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, {
      verbs: ['create'],
      virtual: true,
    }),
    t('authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false, {
      verbs: ['create'],
      virtual: true,
    }),
    t('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false, {
      verbs: ['create'],
      virtual: true,
    }),
    t('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  ];
  if (serviceCIDRVersions.length) {
    list.push({
      ...t('networking.k8s.io', serviceCIDRVersions[0]!, 'servicecidrs', 'ServiceCIDR', false, {
        subresources: ['status'],
      }),
      versions: serviceCIDRVersions,
    });
  }
  return list;
}

/** CRDs a scenario can ask for by name (`crds:`), as their upstream projects define them. */
const KNOWN_CRDS: Record<
  string,
  { group: string; version: string; kind: string; plural: string; singular: string; shortNames?: string[] }
> = {
  'network-attachment-definitions.k8s.cni.cncf.io': {
    group: 'k8s.cni.cncf.io',
    version: 'v1',
    kind: 'NetworkAttachmentDefinition',
    plural: 'network-attachment-definitions',
    singular: 'network-attachment-definition',
    shortNames: ['net-attach-def'],
  },
  'ippools.whereabouts.cni.cncf.io': {
    group: 'whereabouts.cni.cncf.io',
    version: 'v1alpha1',
    kind: 'IPPool',
    plural: 'ippools',
    singular: 'ippool',
  },
  'overlappingrangeipreservations.whereabouts.cni.cncf.io': {
    group: 'whereabouts.cni.cncf.io',
    version: 'v1alpha1',
    kind: 'OverlappingRangeIPReservation',
    plural: 'overlappingrangeipreservations',
    singular: 'overlappingrangeipreservation',
  },
  'nodeslicepools.whereabouts.cni.cncf.io': {
    group: 'whereabouts.cni.cncf.io',
    version: 'v1alpha1',
    kind: 'NodeSlicePool',
    plural: 'nodeslicepools',
    singular: 'nodeslicepool',
  },
};

export function knownCrdManifest(name: string): KObj {
  const k = KNOWN_CRDS[name];
  if (!k)
    throw new Error(
      `unknown CRD ${name}; put its manifest in the scenario instead (known: ${Object.keys(KNOWN_CRDS).join(', ')})`,
    );
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: k.group,
      scope: 'Namespaced',
      names: {
        kind: k.kind,
        plural: k.plural,
        singular: k.singular,
        listKind: `${k.kind}List`,
        ...(k.shortNames ? { shortNames: k.shortNames } : {}),
      },
      versions: [
        {
          name: k.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

function fromCrd(crd: KObj): ResourceType | undefined {
  const s = crd['spec'];
  const names = s?.names;
  if (!s?.group || !names?.plural || !names?.kind) return undefined;
  const versions: KObj[] = (s.versions ?? []).filter((v: KObj) => v['served'] !== false);
  if (!versions.length) return undefined;
  // preferred = the storage version first, like the apiserver's discovery ordering for CRDs
  versions.sort((a, b) => Number(!!b['storage']) - Number(!!a['storage']));
  return {
    group: s.group,
    versions: versions.map((v) => String(v['name'])),
    resource: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    kind: names.kind,
    namespaced: s.scope !== 'Cluster',
    shortNames: names.shortNames,
    categories: names.categories,
    verbs: RW,
    subresources: versions.some((v) => v['subresources']?.status) ? ['status'] : [],
    crd: true,
  };
}

export const groupResource = (rt: Pick<ResourceType, 'group' | 'resource'>): string =>
  rt.group ? `${rt.resource}.${rt.group}` : rt.resource;

export class Catalogue {
  private readonly base: ResourceType[];
  private crds: ResourceType[] = [];

  constructor(serviceCIDRVersions: string[]) {
    this.base = builtins(serviceCIDRVersions);
  }

  /** Rebuilds the CRD-backed part from the CRD objects in the store. */
  syncCrds(crds: KObj[]): void {
    this.crds = crds
      .map(fromCrd)
      .filter(
        (x): x is ResourceType => !!x && !this.base.some((b) => b.group === x.group && b.resource === x.resource),
      );
  }

  all(): ResourceType[] {
    return [...this.base, ...this.crds];
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.resource === resource && r.versions.includes(version));
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.kind === kind);
  }

  byGroupResource(gr: string): ResourceType | undefined {
    return this.all().find((r) => groupResource(r) === gr);
  }

  /** group → versions (preferred first) */
  groups(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const r of this.all()) {
      const vs = m.get(r.group) ?? [];
      for (const v of r.versions) if (!vs.includes(v)) vs.push(v);
      m.set(r.group, vs);
    }
    // prefer GA over beta over alpha, as the apiserver does
    const rank = (v: string): number => (/^v\d+$/.test(v) ? 0 : v.includes('beta') ? 1 : 2);
    for (const vs of m.values()) vs.sort((a, b) => rank(a) - rank(b));
    return m;
  }

  // ---- discovery documents ----

  apiVersions(): KObj {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    };
  }

  private groupDoc(name: string, versions: string[]): KObj {
    return {
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    };
  }

  apiGroupList(): KObj {
    const groups = [...this.groups()].filter(([g]) => g !== '').map(([g, vs]) => this.groupDoc(g, vs));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  apiGroup(group: string): KObj | undefined {
    const vs = this.groups().get(group);
    return vs && group ? { kind: 'APIGroup', apiVersion: 'v1', ...this.groupDoc(group, vs) } : undefined;
  }

  // ---- OpenAPI v3 (just enough for kubectl's field-validation probe) ----

  /** /openapi/v3: one entry per served group/version. */
  openapiV3Root(): KObj {
    const paths: KObj = {};
    for (const [g, vs] of this.groups())
      for (const v of vs)
        paths[g ? `apis/${g}/${v}` : `api/${v}`] = {
          serverRelativeURL: `/openapi/v3/${g ? `apis/${g}/${v}` : `api/${v}`}`,
        };
    return { paths };
  }

  /**
   * /openapi/v3/<gv>: a PATCH operation per kind declaring the `fieldValidation` query
   * parameter. kubectl create/apply read this to decide that the server validates fields
   * (`--validate=strict`); without it they demand the full schema. No schemas are served.
   */
  openapiV3(group: string, version: string): KObj | undefined {
    const rs = this.all().filter((r) => r.group === group && r.versions.includes(version) && !r.virtual);
    if (!rs.length && !this.groups().get(group)?.includes(version)) return undefined;
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const paths: KObj = {};
    for (const r of rs) {
      const p = `${base}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.resource}/{name}`;
      paths[p] = {
        patch: {
          parameters: [
            { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
            { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
            { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          ],
          responses: { '200': { description: 'OK' } },
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': { group, version, kind: r.kind },
        },
      };
    }
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'unversioned' },
      paths,
      components: { schemas: {} },
    };
  }

  resourceList(group: string, version: string): KObj | undefined {
    const rs = this.all().filter((r) => r.group === group && r.versions.includes(version));
    if (!rs.length) return undefined;
    const resources: KObj[] = [];
    for (const r of rs) {
      const e: KObj = {
        name: r.resource,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
      };
      if (r.shortNames?.length) e['shortNames'] = r.shortNames;
      if (r.categories?.length) e['categories'] = r.categories;
      resources.push(e);
      for (const sub of r.subresources) {
        const kind = sub === 'exec' ? 'PodExecOptions' : r.kind;
        const verbs = sub === 'exec' ? ['create', 'get'] : sub === 'log' ? ['get'] : ['get', 'patch', 'update'];
        resources.push({ name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced, kind, verbs });
      }
    }
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources,
    };
  }
}
