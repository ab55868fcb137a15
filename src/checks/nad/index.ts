/** Registry of the NetworkAttachmentDefinition checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';
import { nadConfigInvalidJson } from './nad-config-invalid-json.js';
import { nadConfigMissing } from './nad-config-missing.js';
import { nadTypeMissing } from './nad-type-missing.js';
import { nadCniVersionMissing } from './nad-cniversion-missing.js';
import { nadCniVersionUnsupported } from './nad-cniversion-unsupported.js';
import { nadNameMismatch } from './nad-name-mismatch.js';
import { nadUnknownField } from './nad-unknown-field.js';
import { nadPluginUnknown } from './nad-plugin-unknown.js';
import { nadMasterMissing } from './nad-master-missing.js';
import { nadMasterUnset } from './nad-master-unset.js';
import { nadMasterWireless } from './nad-master-wireless.js';
import { nadModeInvalid } from './nad-mode-invalid.js';
import { nadIpamMissing } from './nad-ipam-missing.js';
import { nadIpamUnknown } from './nad-ipam-unknown.js';
import { nadIpamRangeInvalid } from './nad-ipam-range-invalid.js';
import { nadIpamHostLocalShared } from './nad-ipam-host-local-shared.js';
import { nadIpamOverlap } from './nad-ipam-overlap.js';
import { nadIpamOverlapsCluster } from './nad-ipam-overlaps-cluster.js';
import { nadDefaultRoute } from './nad-default-route.js';
import { nadMacAfterDhcp } from './nad-mac-after-dhcp.js';
import { nadIpvlanDhcp } from './nad-ipvlan-dhcp.js';
import { nadMacvlanIpvlanSameMaster } from './nad-macvlan-ipvlan-same-master.js';
import { nadMtuExceedsMaster } from './nad-mtu-exceeds-master.js';
import { nadStaticWithoutAddresses } from './nad-static-without-addresses.js';
import { nadNameInvalid } from './nad-name-invalid.js';

export const nadChecks: Check[] = [
  nadConfigInvalidJson,
  nadConfigMissing,
  nadTypeMissing,
  nadCniVersionMissing,
  nadCniVersionUnsupported,
  nadNameMismatch,
  nadUnknownField,
  nadPluginUnknown,
  nadMasterMissing,
  nadMasterUnset,
  nadMasterWireless,
  nadModeInvalid,
  nadIpamMissing,
  nadIpamUnknown,
  nadIpamRangeInvalid,
  nadIpamHostLocalShared,
  nadIpamOverlap,
  nadIpamOverlapsCluster,
  nadDefaultRoute,
  nadMacAfterDhcp,
  nadIpvlanDhcp,
  nadMacvlanIpvlanSameMaster,
  nadMtuExceedsMaster,
  nadStaticWithoutAddresses,
  nadNameInvalid,
];
