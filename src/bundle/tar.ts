/**
 * The certification bundle's archive: a POSIX tar of regular files (tar-stream writes pax headers for
 * paths too long for ustar), which any `tar` can unpack. Reading is strict, because bundles come from
 * vendors: only regular files (directories are skipped), relative paths with no "..", and the
 * end-of-archive blocks at the end.
 */
import { extract, type Header, pack } from 'tar-stream';

const BLOCK = 512;

export class TarError extends Error {
  override name = 'TarError';
}

export interface TarEntry {
  /** Path inside the archive, "/"-separated. */
  name: string;
  data: Buffer;
}

/** The archive of `entries`, in their order; `mtime` in seconds for every entry. */
export async function writeTar(entries: readonly TarEntry[], mtime: number): Promise<Buffer> {
  const archive = pack();
  for (const { name, data } of entries) {
    archive.entry({ name, type: 'file', mode: 0o644, mtime: new Date(mtime * 1000) }, data);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** tar-stream's errors, said for someone holding a bundle. */
const READ_ERRORS: Record<string, string> = {
  'Unexpected end of data': 'the archive ends inside an entry (cut short)',
  'Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?':
    'a header fails its checksum (damaged, or not a tar archive)',
  'Invalid tar header: unknown format.': 'a header is neither ustar nor GNU tar',
  'Invalid header': 'an entry’s size is not a number',
  'Header exceeds max size': 'a pax header is over 4 MiB',
};

/** The regular files of an archive, in order; throws TarError (one line) when it is not a readable one. */
export async function readTar(archive: Buffer): Promise<TarEntry[]> {
  if (!endsWithEndOfArchive(archive)) {
    throw new TarError(
      'the archive ends without its end-of-archive blocks (cut short, or not a tar archive)',
    );
  }
  const reader = extract();
  const entries: TarEntry[] = [];
  reader.end(archive);
  try {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === 'directory') continue;
      entries.push({ name: checkedName(entry.header), data: Buffer.concat(chunks) });
    }
  } catch (error) {
    if (error instanceof TarError) throw error;
    const message = (error as Error).message;
    throw new TarError(READ_ERRORS[message] ?? message);
  }
  return entries;
}

/** A tar ends with two zero blocks; tar-stream accepts an archive without them, so one cut at an entry's end. */
function endsWithEndOfArchive(archive: Buffer): boolean {
  return (
    archive.length >= 2 * BLOCK &&
    archive.length % BLOCK === 0 &&
    archive.subarray(-2 * BLOCK).every((byte) => byte === 0)
  );
}

/** The entry's name when it is a regular file at a relative path that stays inside the archive's folder. */
function checkedName(header: Header): string {
  const name = header.name;
  const shown = JSON.stringify(name);
  if (header.type !== 'file') {
    throw new TarError(`the entry ${shown} is a ${kind(header)}; a bundle holds only files`);
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\')) {
    throw new TarError(
      `the entry ${shown} has an absolute or Windows path; a bundle holds relative "/" paths`,
    );
  }
  if (name.split('/').some((segment: string) => segment === '' || segment === '.' || segment === '..')) {
    throw new TarError(`the entry ${shown} has an empty, "." or ".." path segment`);
  }
  return name;
}

/** tar-stream gives no type (null) for a type flag it does not know. */
function kind(header: Header): string {
  const type: string | null = header.type;
  return type ?? 'entry of an unknown type';
}
