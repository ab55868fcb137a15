/**
 * MAC addresses `attach --mac` writes: locally administered unicast (first octet `x2`, `x6`,
 * `xa`, `xe`), so they can never collide with a vendor's burned-in address and the kernel accepts
 * them. `stable` derives the address from the workload and network, so re-running gives the same
 * MAC (and so the same DHCP lease) without remembering it anywhere.
 */
import { createHash } from 'node:crypto';

/** Force the locally-administered bit on and the multicast bit off in the first octet. */
export function toLocalUnicast(bytes: Uint8Array): string {
  if (bytes.length < 6) throw new Error('a MAC needs 6 bytes');
  const b = Array.from(bytes.subarray(0, 6));
  b[0] = (b[0]! & 0xfc) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function randomMac(randomBytes: (n: number) => Uint8Array): string {
  return toLocalUnicast(randomBytes(6));
}

/** What a stable MAC is derived from; the version prefix lets the derivation change without silently moving MACs. */
export function stableMacSeed(
  w: { kind: string; namespace: string; name: string },
  nad: { namespace: string; name: string },
): string {
  return `kubectl-multus/mac/v1\n${w.kind}\n${w.namespace}\n${w.name}\n${nad.namespace}/${nad.name}`;
}

export function stableMac(seed: string): string {
  return toLocalUnicast(createHash('sha256').update(seed).digest());
}

/** Lowercase, colon-separated: how we compare and write MACs. */
export function normaliseMac(mac: string): string {
  return mac.trim().toLowerCase().replace(/-/g, ':');
}

export function isLocallyAdministeredUnicast(mac: string): boolean {
  const m = /^([0-9a-f]{2})(:[0-9a-f]{2}){5}$/.exec(normaliseMac(mac));
  if (!m) return false;
  const first = parseInt(m[1]!, 16);
  return (first & 0x01) === 0 && (first & 0x02) === 0x02;
}
