/** Registry of the install checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';
import { multusNotInstalled } from './multus-not-installed.js';
import { nadCrdMissing } from './nad-crd-missing.js';
import { multusPodsNotReady } from './multus-pods-not-ready.js';
import { multusNodeWithoutPod } from './multus-node-without-pod.js';
import { multusConfMissing } from './multus-conf-missing.js';
import { multusConfWrongDir } from './multus-conf-wrong-dir.js';
import { multusConfNotFirst } from './multus-conf-not-first.js';
import { multusConfInvalid } from './multus-conf-invalid.js';
import { multusConfNestedDelegates } from './multus-conf-nested-delegates.js';
import { multusDelegateStale } from './multus-delegate-stale.js';
import { multusKubeconfigMissing } from './multus-kubeconfig-missing.js';
import { multusThickSocketMissing } from './multus-thick-socket-missing.js';
import { multusThickConfigMismatch } from './multus-thick-config-mismatch.js';
import { multusBinaryMissing } from './multus-binary-missing.js';
import { cniBinDirMismatch } from './cni-bin-dir-mismatch.js';
import { cniBinDirVersioned } from './cni-bin-dir-versioned.js';
import { cniPluginMissing } from './cni-plugin-missing.js';
import { cniPrimaryMissing } from './cni-primary-missing.js';
import { ciliumCniExclusive } from './cilium-cni-exclusive.js';
import { dhcpDaemonMissing } from './dhcp-daemon-missing.js';
import { whereaboutsMissing } from './whereabouts-missing.js';
import { multusOomkilled } from './multus-oomkilled.js';
import { multusCniversionMismatch } from './multus-cniversion-mismatch.js';
import { multusKubeconfigTokenExpired } from './multus-kubeconfig-token-expired.js';
import { multusRbacInsufficient } from './multus-rbac-insufficient.js';
import { multusReadinessIndicatorMissing } from './multus-readiness-indicator-missing.js';
import { cniBinBrokenSymlink } from './cni-bin-broken-symlink.js';
import { k3sEmbeddedFlannel } from './k3s-embedded-flannel.js';

export const installChecks: Check[] = [
  multusNotInstalled,
  nadCrdMissing,
  multusPodsNotReady,
  multusNodeWithoutPod,
  multusConfMissing,
  multusConfWrongDir,
  multusConfNotFirst,
  multusConfInvalid,
  multusConfNestedDelegates,
  multusDelegateStale,
  multusKubeconfigMissing,
  multusThickSocketMissing,
  multusThickConfigMismatch,
  multusBinaryMissing,
  cniBinDirMismatch,
  cniBinDirVersioned,
  cniPluginMissing,
  cniPrimaryMissing,
  ciliumCniExclusive,
  dhcpDaemonMissing,
  whereaboutsMissing,
  multusOomkilled,
  multusCniversionMismatch,
  multusKubeconfigTokenExpired,
  multusRbacInsufficient,
  multusReadinessIndicatorMissing,
  cniBinBrokenSymlink,
  k3sEmbeddedFlannel,
];
