/**
 * Makes a zip file byte-for-byte reproducible: entries in name order, every timestamp set
 * to one fixed time. WXT's zips (JSZip) stamp each entry with the time of the build and
 * list files in the order the file system returns them, so two builds of the same source
 * differ. Contents, compression, CRCs and attributes are kept as they are.
 *
 * The time is SOURCE_DATE_EPOCH (seconds, UTC) when set, else 1980-01-01 00:00, the
 * earliest time a zip can hold.
 */
import { readFile, writeFile } from 'node:fs/promises';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;

/** DOS time and date fields for a moment (local fields read as UTC, as zip tools do with SOURCE_DATE_EPOCH). */
function dosTime(epochSeconds: number | undefined): { time: number; date: number } {
  if (epochSeconds === undefined) return { time: 0, date: (0 << 9) | (1 << 5) | 1 };
  const d = new Date(Math.max(epochSeconds * 1000, Date.UTC(1980, 0, 1)));
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export function normalizeZipBuffer(zip: Buffer, epochSeconds = sourceDateEpoch()): Buffer {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  const cdOffset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new Error('zip64 archives are not supported');
  const { time, date } = dosTime(epochSeconds);

  const entries: { name: string; central: Buffer; local: Buffer }[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== CENTRAL) throw new Error(`bad central directory entry at ${p}`);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const central = Buffer.from(zip.subarray(p, p + 46 + nameLen + extraLen + commentLen));
    const name = central.subarray(46, 46 + nameLen).toString('utf8');
    const at = central.readUInt32LE(42);
    if (zip.readUInt32LE(at) !== LOCAL) throw new Error(`bad local header for ${name}`);
    const flags = zip.readUInt16LE(at + 6);
    const size = central.readUInt32LE(20);
    let length = 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28) + size;
    if (flags & 0x8) length += zip.readUInt32LE(at + length) === DESCRIPTOR ? 16 : 12;
    const local = Buffer.from(zip.subarray(at, at + length));
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    entries.push({ name, central, local });
    p += central.length;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const parts: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    e.central.writeUInt32LE(offset, 42);
    parts.push(e.local);
    offset += e.local.length;
  }
  const centralStart = offset;
  for (const e of entries) {
    parts.push(e.central);
    offset += e.central.length;
  }
  const tail = Buffer.from(zip.subarray(end));
  tail.writeUInt32LE(offset - centralStart, 12);
  tail.writeUInt32LE(centralStart, 16);
  parts.push(tail);
  return Buffer.concat(parts);
}

function sourceDateEpoch(): number | undefined {
  const v = process.env.SOURCE_DATE_EPOCH;
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Rewrites a zip file in place (see normalizeZipBuffer). */
export async function normalizeZip(file: string): Promise<void> {
  await writeFile(file, normalizeZipBuffer(await readFile(file)));
}
