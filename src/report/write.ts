import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConformanceReport } from './types.ts';

export const REPORT_FILE_NAME = 'conformance.json';

/** Writes `<dir>/conformance.json` (pretty-printed, trailing newline), creating `dir`; returns the path. */
export async function writeReport(dir: string, report: ConformanceReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, REPORT_FILE_NAME);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  return path;
}
