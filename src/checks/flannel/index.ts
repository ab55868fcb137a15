/** Registry of the flannel checks: one import per check file, in CHECKS.md order. */
import type { Check } from '../types.js';
import { flannelNetworkExcludesPodCidr } from './flannel-network-excludes-pod-cidr.js';
import { flannelNetworkExcludesServiceCidr } from './flannel-network-excludes-service-cidr.js';
import { flannelSubnetRangeOverlapsServices } from './flannel-subnet-range-overlaps-services.js';
import { flannelSubnetLimitsIgnored } from './flannel-subnet-limits-ignored.js';
import { flannelConfigInconsistent } from './flannel-config-inconsistent.js';

export const flannelChecks: Check[] = [
  flannelNetworkExcludesPodCidr,
  flannelNetworkExcludesServiceCidr,
  flannelSubnetRangeOverlapsServices,
  flannelSubnetLimitsIgnored,
  flannelConfigInconsistent,
];
