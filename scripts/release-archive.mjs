// Deterministic .tar.gz and .zip writers for the release archives. Written here (node:zlib only)
// rather than shelling out to tar/zip: `zip` is not on every build machine, and fixed modes,
// owners and times make the same inputs give the same sha256.
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

/** @typedef {{ name: string, data: Buffer, mode: number }} Entry */

function octal(n, width) {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** POSIX ustar: one 512-byte header per file, data padded to 512, two zero blocks at the end. */
export function tar(/** @type {Entry[]} */ entries, mtime) {
  const parts = [];
  for (const e of entries) {
    if (Buffer.byteLength(e.name) > 100) throw new Error(`tar: name too long: ${e.name}`);
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write(octal(e.mode & 0o7777, 8), 100);
    h.write(octal(0, 8), 108); // uid
    h.write(octal(0, 8), 116); // gid
    h.write(octal(e.data.length, 12), 124);
    h.write(octal(mtime, 12), 136);
    h.write('        ', 148); // checksum field counts as spaces while summing
    h.write('0', 156); // regular file
    h.write('ustar\0', 257);
    h.write('00', 263);
    h.write('root', 265);
    h.write('root', 297);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tarGz(entries, mtime) {
  // The gzip header's own mtime is left 0 by zlib, so the output depends only on the inputs.
  return gzipSync(tar(entries, mtime), { level: 6 });
}

function dosDateTime(unixSeconds) {
  const d = new Date(Math.max(unixSeconds, 315532800) * 1000); // zip dates start in 1980
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return { time, date };
}

/** PKZIP with deflate; "made by Unix" so the mode survives for unzip on Linux/macOS. */
export function zip(/** @type {Entry[]} */ entries, mtime) {
  const { time, date } = dosDateTime(mtime);
  const locals = [];
  const central = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data) >>> 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    lh.writeUInt16LE(0x0800, 6); // names are UTF-8
    lh.writeUInt16LE(8, 8); // deflate
    lh.writeUInt16LE(time, 10);
    lh.writeUInt16LE(date, 12);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(packed.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt16LE(time, 12);
    ch.writeUInt16LE(date, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(packed.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((0o100000 | (e.mode & 0o7777)) << 16) >>> 0, 38); // external attrs: regular file + mode
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, packed);
    central.push(ch, name);
    offset += lh.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
