/**
 * Editing one entry of a ZIP file (a DOCX) synchronously, with node:zlib only: the replica's nextNight() is
 * synchronous and replaces a report file in place with the same file, one number changed.
 *
 * The archive is rewritten from its central directory: every entry keeps its bytes, the edited one is deflated
 * again; local headers are written fresh (no data descriptors), so whatever the source wrote, the result is a
 * plain ZIP any reader (mammoth/jszip) opens.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  name: Buffer;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  size: number;
  data: Buffer;
  external: number;
}

function readEntries(zip: Buffer): Entry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP file: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`ZIP central directory broken at entry ${n}`);
    const nameLen = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) !== LOCAL) throw new Error(`ZIP local header missing for entry ${n}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({
      name: zip.subarray(at + 46, at + 46 + nameLen),
      flags: zip.readUInt16LE(at + 8) & ~0x0008,
      method: zip.readUInt16LE(at + 10),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      crc: zip.readUInt32LE(at + 16),
      size: zip.readUInt32LE(at + 24),
      data: zip.subarray(start, start + zip.readUInt32LE(at + 20)),
      external: zip.readUInt32LE(at + 38),
    });
    at += 46 + nameLen + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/** The fields a local header (at 6) and a central-directory header (at 8) share, in the same order. */
function writeEntryFields(b: Buffer, at: number, e: Entry): void {
  b.writeUInt16LE(e.flags, at);
  b.writeUInt16LE(e.method, at + 2);
  b.writeUInt16LE(e.time, at + 4);
  b.writeUInt16LE(e.date, at + 6);
  b.writeUInt32LE(e.crc, at + 8);
  b.writeUInt32LE(e.data.length, at + 12);
  b.writeUInt32LE(e.size, at + 16);
  b.writeUInt16LE(e.name.length, at + 20);
}

function writeZip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(LOCAL, 0);
    h.writeUInt16LE(20, 4);
    writeEntryFields(h, 6, e);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(CENTRAL, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    writeEntryFields(c, 8, e);
    c.writeUInt32LE(e.external, 38);
    c.writeUInt32LE(offset, 42);
    parts.push(h, e.name, e.data);
    central.push(c, e.name);
    offset += 30 + e.name.length + e.data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

/** The ZIP with entry `name`'s content replaced by edit(content). Throws if there is no such entry. */
export function editZipEntry(zip: Buffer, name: string, edit: (content: Buffer) => Buffer): Buffer {
  const entries = readEntries(zip);
  const e = entries.find((x) => x.name.toString('utf8') === name);
  if (!e) throw new Error(`ZIP has no entry ${name}`);
  if (e.method !== 0 && e.method !== 8) throw new Error(`ZIP entry ${name}: compression method ${e.method} not supported`);
  const content = edit(e.method === 8 ? inflateRawSync(e.data) : Buffer.from(e.data));
  Object.assign(e, { method: 8, data: deflateRawSync(content), crc: crc32(content) >>> 0, size: content.length });
  return writeZip(entries);
}
