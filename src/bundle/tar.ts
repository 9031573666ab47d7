/**
 * A minimal POSIX ustar archive: regular files only, paths too long for the header carried in a pax
 * extended header. Enough for the certification bundle, which any `tar` can unpack.
 */
const BLOCK = 512;

export class TarError extends Error {
  override name = 'TarError';
}

export interface TarEntry {
  /** Path inside the archive, "/"-separated. */
  name: string;
  data: Buffer;
}

export interface ReadEntry extends TarEntry {
  /** Where the file's bytes start in the archive. */
  offset: number;
}

function header(name: string, size: number, type: '0' | 'x', mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const put = (text: string, at: number, length: number) => {
    block.write(text, at, length, 'utf8');
  };
  const { prefix, base } = splitName(name) ?? { prefix: '', base: type === 'x' ? 'PaxHeader' : name };
  put(base, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${size.toString(8).padStart(11, '0')}\0`, 124, 12);
  put(`${Math.floor(mtime).toString(8).padStart(11, '0')}\0`, 136, 12);
  put('        ', 148, 8);
  put(type, 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put(prefix, 345, 155);
  put(`${checksum(block).toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** A name as ustar holds it (prefix "/" base), or undefined when it does not fit. */
function splitName(name: string): { prefix: string; base: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
    const prefix = name.slice(0, slash);
    const base = name.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100 && base !== '')
      return { prefix, base };
  }
  return undefined;
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(BLOCK - rest)];
}

/** "LEN path=NAME\n", LEN counting the whole record. */
function paxPath(name: string): Buffer {
  const body = ` path=${name}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length += 1;
  return Buffer.from(`${length}${body}`);
}

/** The archive of `entries`, in their order; `mtime` in seconds for every entry. */
export function writeTar(entries: readonly TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (splitName(entry.name) === undefined) {
      const pax = paxPath(entry.name);
      parts.push(header('PaxHeader', pax.length, 'x', mtime), ...padded(pax));
    }
    parts.push(header(entry.name, entry.data.length, '0', mtime), ...padded(entry.data));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function field(block: Buffer, at: number, length: number): string {
  const raw = block.subarray(at, at + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function octal(block: Buffer, at: number, length: number, what: string, offset: number): number {
  const text = field(block, at, length).trim();
  if (!/^[0-7]+$/.test(text))
    throw new TarError(`the ${what} of the entry at byte ${offset} is not a number`);
  return Number.parseInt(text, 8);
}

/** The regular files of an archive; throws TarError (one line) when it is not a readable ustar archive. */
export function readTar(archive: Buffer): ReadEntry[] {
  const entries: ReadEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (true) {
    if (offset + BLOCK > archive.length)
      throw new TarError('the archive ends without its end-of-archive blocks');
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return entries;
    if (field(block, 257, 6) !== 'ustar')
      throw new TarError(`the entry at byte ${offset} is not a ustar header`);
    if (octal(block, 148, 8, 'checksum', offset) !== checksum(block)) {
      throw new TarError(`the header at byte ${offset} fails its checksum`);
    }
    const size = octal(block, 124, 12, 'size', offset);
    const start = offset + BLOCK;
    if (start + size > archive.length) throw new TarError(`the entry at byte ${offset} is cut short`);
    const data = archive.subarray(start, start + size);
    const type = field(block, 156, 1);
    if (type === 'x') {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
    } else if (type === '0' || type === '') {
      const prefix = field(block, 345, 155);
      const name = longName ?? (prefix === '' ? field(block, 0, 100) : `${prefix}/${field(block, 0, 100)}`);
      entries.push({ name, data, offset: start });
      longName = undefined;
    } else if (type !== '5') {
      throw new TarError(`the entry at byte ${offset} is of type "${type}"; a bundle holds only files`);
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
}
