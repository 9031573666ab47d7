/** A conformance.json written earlier (--rerun-failed, merge), read and checked against its schema. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateReport } from './schema.ts';
import type { ConformanceReport } from './types.ts';

export class ReportFileError extends Error {
  override name = 'ReportFileError';
}

/** Throws ReportFileError, one line naming the file, when it cannot be read or is not a report. */
export async function readReportFile(file: string): Promise<ConformanceReport> {
  const shown = path.relative(process.cwd(), file) || file;
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ReportFileError(`${shown}: cannot read a conformance report (${why})`);
  }
  const problems = validateReport(data);
  if (problems.length > 0) {
    throw new ReportFileError(`${shown}: not a conformance report: ${problems[0]}`);
  }
  return data as ConformanceReport;
}
