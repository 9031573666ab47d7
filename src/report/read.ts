import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateReport } from './schema.ts';
import type { ConformanceReport } from './types.ts';
import { REPORT_FILE_NAME } from './write.ts';

/** A report file that cannot be read or is not a conformance report; the message is one line naming the file. */
export class ReportFileError extends Error {
  override name = 'ReportFileError';
}

/**
 * Reads a conformance report: a conformance.json, or a report folder holding one. Throws
 * ReportFileError naming the file and the first problem.
 */
export async function readReportFile(given: string): Promise<{ file: string; report: ConformanceReport }> {
  let file = given;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR') {
      const why = code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable');
      throw new ReportFileError(`${given}: cannot read the report (${why})`);
    }
    file = path.join(given, REPORT_FILE_NAME);
    text = await readFile(file, 'utf8').catch(() => {
      throw new ReportFileError(`${given}: no ${REPORT_FILE_NAME} in this folder`);
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportFileError(`${file}: not JSON (${(error as Error).message})`);
  }
  const [problem] = validateReport(data);
  if (problem !== undefined) throw new ReportFileError(`${file}: not a conformance report: ${problem}`);
  return { file, report: data as ConformanceReport };
}
