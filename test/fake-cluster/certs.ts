/**
 * Certificates for the fake API server, generated at start with node:crypto only: no openssl CLI
 * (not installed on minimal Debian images) and no extra npm dependency. Keys are ECDSA P-256,
 * which kubectl (Go), Node's TLS and client-node all accept; certificates are hand-encoded DER.
 */
import { X509Certificate, createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// ---- minimal DER encoder (only what an X.509 v3 certificate needs) ----

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const ctx = (n: number, body: Buffer, constructed = true): Buffer => tlv((constructed ? 0xa0 : 0x80) | n, body);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));

function uint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, (v[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const compact =
    iso.slice(2, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    'Z';
  // UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5)
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(compact))
    : tlv(0x18, Buffer.from(iso.slice(0, 4) + compact.slice(2)));
}

const OID = {
  cn: '2.5.4.3',
  o: '2.5.4.10',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function name(cn: string, orgs: string[] = []): Buffer {
  // Kubernetes reads the user from CN and groups from each O, so every O is its own RDN.
  return seq(...orgs.map((o) => set(seq(oid(OID.o), utf8(o)))), set(seq(oid(OID.cn), utf8(cn))));
}

const ext = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function keyUsageBits(bits: number[]): Buffer {
  // bit 0 = digitalSignature ... bit 5 = keyCertSign; DER BIT STRING with unused-bit count
  let v = 0;
  for (const b of bits) v |= 0x80 >> b;
  let unused = 0;
  while (unused < 8 && (v & (1 << unused)) === 0) unused++;
  return tlv(0x03, Buffer.from([unused, v]));
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(':')) throw new Error('IPv6 SAN not needed on loopback');
  return Buffer.from(ip.split('.').map(Number));
}

export interface KeyPair {
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
}

interface IssueOpts {
  cn: string;
  orgs?: string[];
  ca?: boolean;
  usage?: 'server' | 'client';
  dns?: string[];
  ips?: string[];
  issuer?: { cn: string; key: KeyObject; keyId: Buffer };
  days?: number;
}

function issue(o: IssueOpts): { pair: KeyPair; key: KeyObject; keyId: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const exts: Buffer[] = [];
  if (o.ca) {
    exts.push(ext(OID.basicConstraints, true, seq(bool(true))));
    exts.push(ext(OID.keyUsage, true, keyUsageBits([0, 5, 6])));
  } else {
    exts.push(ext(OID.basicConstraints, true, seq()));
    exts.push(ext(OID.keyUsage, true, keyUsageBits([0])));
    exts.push(ext(OID.extKeyUsage, false, seq(oid(o.usage === 'client' ? OID.clientAuth : OID.serverAuth))));
  }
  const sans = [
    ...(o.dns ?? []).map((d) => ctx(2, Buffer.from(d), false)),
    ...(o.ips ?? []).map((ip) => ctx(7, ipBytes(ip), false)),
  ];
  if (sans.length) exts.push(ext(OID.subjectAltName, false, seq(...sans)));
  exts.push(ext(OID.subjectKeyId, false, octets(keyId)));
  if (o.issuer) exts.push(ext(OID.authorityKeyId, false, seq(ctx(0, o.issuer.keyId, false))));
  const sigAlg = seq(oid(OID.ecdsaSha256));
  const tbs = seq(
    ctx(0, uint(Buffer.from([2]))), // v3
    uint(serial),
    sigAlg,
    o.issuer ? name(o.issuer.cn) : name(o.cn, o.orgs),
    seq(time(new Date(now - 3600_000)), time(new Date(now + (o.days ?? 365) * 86400_000))),
    name(o.cn, o.orgs),
    Buffer.from(spki),
    ctx(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, o.issuer?.key ?? privateKey); // DER ECDSA-Sig-Value, as X.509 wants
  const der = seq(tbs, sigAlg, bitString(signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { pair: { certPem, keyPem, cert: new X509Certificate(der) }, key: privateKey, keyId };
}

export interface ClusterPki {
  ca: KeyPair;
  server: KeyPair;
  /** Issue a client certificate: CN = user name, one O per group (how kube-apiserver reads them). */
  client(user: string, groups?: string[]): KeyPair;
}

export function createPki(caName = 'fake-cluster-ca'): ClusterPki {
  const ca = issue({ cn: caName, ca: true, days: 3650 });
  const issuer = { cn: caName, key: ca.key, keyId: ca.keyId };
  const server = issue({
    cn: 'kube-apiserver',
    usage: 'server',
    dns: ['localhost', 'kubernetes', 'kubernetes.default'],
    ips: ['127.0.0.1'],
    issuer,
  });
  return {
    ca: ca.pair,
    server: server.pair,
    client: (user, groups = []) => issue({ cn: user, orgs: groups, usage: 'client', issuer }).pair,
  };
}
