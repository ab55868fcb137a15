// Ad-hoc code signature for the macOS executables, written on Linux without codesign.
//
// Why: Apple Silicon refuses to start a binary whose signature does not match its bytes, and
// Intel macOS kills one that carries a stale signature. `bun build --compile` appends our
// script to a signed runtime; for darwin-x64 cross-builds Bun 1.4.x leaves the runtime's
// original signature in place (it no longer matches), so every darwin output is re-signed here.
//
// The format is the linker's ad-hoc one (what `ld -adhoc_codesign` and Go's linker write): a
// SuperBlob holding one CodeDirectory (version 0x20400, SHA-256, 4 KiB pages, flags
// adhoc|linker-signed) whose page hashes cover the file up to the signature.
import { createHash } from 'node:crypto';

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const PAGE_SHIFT = 12;
const PAGE = 1 << PAGE_SHIFT;
const HASH_SIZE = 32;
const CD_HEADER = 88; // CodeDirectory up to and including execSegFlags (version 0x20400)

function segments(b) {
  if (b.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a 64-bit little-endian Mach-O file');
  const ncmds = b.readUInt32LE(16);
  const out = { sig: undefined, linkedit: undefined, text: undefined };
  let off = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = b.readUInt32LE(off);
    const size = b.readUInt32LE(off + 4);
    if (cmd === LC_CODE_SIGNATURE) out.sig = off;
    if (cmd === LC_SEGMENT_64) {
      const name = b
        .subarray(off + 8, off + 24)
        .toString('latin1')
        .replace(/\0+$/, '');
      if (name === '__LINKEDIT') out.linkedit = off;
      if (name === '__TEXT') out.text = off;
    }
    off += size;
  }
  if (out.sig === undefined || out.linkedit === undefined || out.text === undefined) {
    throw new Error('Mach-O file lacks LC_CODE_SIGNATURE, __TEXT or __LINKEDIT');
  }
  return out;
}

/**
 * Return a copy of `input` with a fresh ad-hoc signature in place of the existing one.
 * The signature keeps its file offset; __LINKEDIT grows or shrinks to fit it.
 */
export function adhocSign(input, identifier) {
  const { sig, linkedit, text } = segments(input);
  const codeLimit = input.readUInt32LE(sig + 8); // the signature's offset: everything before it is hashed
  const nSlots = Math.ceil(codeLimit / PAGE);
  const ident = Buffer.from(identifier + '\0', 'utf8');
  const cdLength = CD_HEADER + ident.length + nSlots * HASH_SIZE;
  const sigLength = 12 + 8 + cdLength;

  const out = Buffer.alloc(codeLimit + sigLength);
  input.copy(out, 0, 0, codeLimit);
  // Load commands first: they are in page 0, which is hashed below.
  out.writeUInt32LE(sigLength, sig + 12);
  const linkFileOff = Number(out.readBigUInt64LE(linkedit + 40));
  const linkFileSize = codeLimit + sigLength - linkFileOff;
  out.writeBigUInt64LE(BigInt(linkFileSize), linkedit + 48);
  const vmPage = out.readUInt32LE(4) === 0x0100000c ? 0x4000 : 0x1000; // arm64 pages are 16 KiB
  out.writeBigUInt64LE(BigInt(Math.ceil(linkFileSize / vmPage) * vmPage), linkedit + 32);

  const s = out.subarray(codeLimit);
  s.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  s.writeUInt32BE(sigLength, 4);
  s.writeUInt32BE(1, 8); // one blob
  s.writeUInt32BE(0, 12); // CSSLOT_CODEDIRECTORY
  s.writeUInt32BE(20, 16);
  const cd = s.subarray(20);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(0x20400, 8);
  cd.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, 12);
  cd.writeUInt32BE(CD_HEADER + ident.length, 16); // hashOffset
  cd.writeUInt32BE(CD_HEADER, 20); // identOffset
  cd.writeUInt32BE(0, 24); // nSpecialSlots
  cd.writeUInt32BE(nSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd[36] = HASH_SIZE;
  cd[37] = 2; // CS_HASHTYPE_SHA256
  cd[38] = 0; // platform
  cd[39] = PAGE_SHIFT;
  // spare2, scatterOffset, teamOffset, spare3, codeLimit64 stay 0
  cd.writeBigUInt64BE(out.readBigUInt64LE(text + 40), 64); // execSegBase = __TEXT fileoff
  cd.writeBigUInt64BE(out.readBigUInt64LE(text + 48), 72); // execSegLimit = __TEXT filesize
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  ident.copy(cd, CD_HEADER);
  for (let i = 0; i < nSlots; i++) {
    // The last page is hashed only up to codeLimit, unpadded (what the kernel checks).
    const page = out.subarray(i * PAGE, Math.min((i + 1) * PAGE, codeLimit));
    createHash('sha256')
      .update(page)
      .digest()
      .copy(cd, CD_HEADER + ident.length + i * HASH_SIZE);
  }
  return out;
}
