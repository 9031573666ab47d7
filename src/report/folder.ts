/**
 * The report folder (`--report-dir`). It is checked before anything runs, and each run writes into
 * a fresh folder beside it, moved into place at the end: a reader never sees an earlier run's files
 * mixed with this one's, and a run that fails or is refused never leaves an earlier run's bundle
 * beside its own report. Only files an earlier run of the harness wrote are removed: each run lists
 * what it wrote in `.connector-conformance-files.json`; anything else in the folder is kept.
 */
import { constants } from 'node:fs';
import {
  access,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_FILE_NAME } from '../bundle/manifest.ts';
import { isProcessAlive } from '../process-alive.ts';
import { MARKDOWN_FILE_NAME, PAGE_FILE_NAME } from './layout.ts';

/** The list of what the harness wrote into the folder, kept in the folder. */
export const FILE_LIST_NAME = '.connector-conformance-files.json';

/** What a folder written before the list existed holds (the target folders are `targets/<platform>-<version>/`). */
const EARLIER_HARNESS_FILES = ['conformance.json', PAGE_FILE_NAME, MARKDOWN_FILE_NAME, BUNDLE_FILE_NAME];
const TARGET_FOLDER = /^(windows|macos)-\d+(\.\d+)*$/;

/** The report folder cannot be used: one line naming it, exit 2, and no report (there is nowhere to write one). */
export class ReportFolderError extends Error {
  override name = 'ReportFolderError';
}

export interface ReportFolder {
  /** Where the run writes its reports. */
  readonly staging: string;
  /** The report folder the run's files end up in. */
  readonly final: string;
  /** Removes what an earlier run of the harness wrote in `final` and moves this run's files in. */
  commit(): Promise<void>;
  /** Leaves `final` as it was and removes what this run wrote. */
  discard(): Promise<void>;
}

/** Checks `dir` (a folder, or creatable, and writable) and makes the run's fresh folder beside it. */
export async function openReportFolder(dir: string): Promise<ReportFolder> {
  const final = path.resolve(dir);
  const existing = await lstat(final).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new ReportFolderError(`--report-dir ${dir}: is a file, not a folder`);
  }
  if (existing !== undefined) {
    await access(final, constants.W_OK).catch((error: unknown) => {
      throw new ReportFolderError(`--report-dir ${dir}: cannot write in it (${describe(error)})`);
    });
  }
  const parent = path.dirname(final);
  await makeFolders(parent, dir);
  await removeStaleStaging(parent, path.basename(final));
  let staging: string;
  try {
    staging = await mkdtemp(path.join(parent, `${stagingPrefix(path.basename(final))}${process.pid}-`));
  } catch (error) {
    throw new ReportFolderError(`--report-dir ${dir}: cannot write in ${parent} (${describe(error)})`);
  }
  return {
    staging,
    final,
    commit: () => moveIntoPlace(staging, final),
    discard: () => rm(staging, { recursive: true, force: true }),
  };
}

/**
 * Creates `folder` and its missing parents one level at a time: Node's recursive mkdir never returns
 * on a pseudo-filesystem such as /proc, where a plain mkdir fails at once.
 */
async function makeFolders(folder: string, given: string): Promise<void> {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    const found = await stat(current).catch(() => undefined);
    if (found?.isDirectory()) break;
    if (found !== undefined)
      throw new ReportFolderError(`--report-dir ${given}: ${current} is a file, not a folder`);
    missing.unshift(current);
    const up = path.dirname(current);
    if (up === current) break;
    current = up;
  }
  for (const each of missing) {
    try {
      await mkdir(each);
    } catch (error) {
      throw new ReportFolderError(`--report-dir ${given}: cannot create ${each} (${describe(error)})`);
    }
  }
}

/** A run's fresh folder: `.reports.run-<pid>-XXXXXX` beside `reports`. */
function stagingPrefix(name: string): string {
  return `.${name}.run-`;
}

/**
 * Removes the fresh folders of runs that ended without moving theirs into place (killed, or stopped
 * at once by a second signal): those whose process is gone, and those of harnesses that did not put
 * the process id in the name.
 */
async function removeStaleStaging(parent: string, name: string): Promise<void> {
  const prefix = stagingPrefix(name);
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(prefix)) continue;
    const pid = /^(\d+)-/.exec(entry.name.slice(prefix.length))?.[1];
    if (pid !== undefined && isProcessAlive(Number(pid))) continue;
    await rm(path.join(parent, entry.name), { recursive: true, force: true });
  }
}

async function moveIntoPlace(staging: string, final: string): Promise<void> {
  const files = await listFiles(staging);
  await writeFile(path.join(staging, FILE_LIST_NAME), `${JSON.stringify({ files }, null, 2)}\n`);
  if ((await lstat(final).catch(() => undefined)) === undefined) {
    await rename(staging, final);
    return;
  }
  await removeEarlierRun(final);
  for (const file of [...files, FILE_LIST_NAME]) {
    const to = path.join(final, file);
    await mkdir(path.dirname(to), { recursive: true });
    await rename(path.join(staging, file), to);
  }
  await rm(staging, { recursive: true, force: true });
}

/** Removes what the folder's list names (or, for a folder from before the list, the harness's own names), then the folders that left empty. */
async function removeEarlierRun(final: string): Promise<void> {
  const listed = await readFileList(final);
  const files = listed ?? (await earlierHarnessFiles(final));
  for (const file of files)
    await rm(path.join(final, file), { recursive: listed === undefined, force: true });
  const folders = new Set(files.flatMap((file) => parentsOf(file)));
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    await rmdir(path.join(final, folder)).catch(() => {}); // only when empty
  }
  await rm(path.join(final, FILE_LIST_NAME), { force: true });
}

/** The list an earlier run left; entries that would leave the folder are ignored. */
async function readFileList(final: string): Promise<string[] | undefined> {
  const text = await readFile(path.join(final, FILE_LIST_NAME), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let files: unknown;
  try {
    files = (JSON.parse(text) as { files?: unknown }).files;
  } catch {
    return [];
  }
  if (!Array.isArray(files)) return [];
  return files.filter((file): file is string => typeof file === 'string' && isInside(file));
}

async function earlierHarnessFiles(final: string): Promise<string[]> {
  const targets = await readdir(path.join(final, 'targets')).catch(() => [] as string[]);
  return [
    ...EARLIER_HARNESS_FILES,
    ...targets.filter((name) => TARGET_FOLDER.test(name)).map((name) => `targets/${name}`),
  ];
}

function isInside(file: string): boolean {
  const normal = path.posix.normalize(file);
  return file !== '' && !path.posix.isAbsolute(normal) && normal !== '..' && !normal.startsWith('../');
}

/** "targets/windows-4.7/evidence/x.png" → "targets/windows-4.7/evidence", "targets/windows-4.7", "targets". */
function parentsOf(file: string): string[] {
  const parents: string[] = [];
  for (let up = path.posix.dirname(file); up !== '.' && up !== '/'; up = path.posix.dirname(up))
    parents.push(up);
  return parents;
}

/** Every file under `dir`, as paths relative to it with `/`. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error as Error).message;
}
