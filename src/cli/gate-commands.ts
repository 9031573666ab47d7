/**
 * The commands that read reports rather than run the suite: `expect --from` (an expect file from a
 * run), `diff OLD NEW` (regressions and fixes between two builds) and `history DIR...` (a page of
 * each requirement across a series of builds). Bad input: one line naming the flag or file, exit 2.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalog } from '../catalog/load.ts';
import { diffReports, renderDiff } from '../report/diff.ts';
import { cellsToExpect, expectFileFor } from '../report/expect.ts';
import { renderHistory } from '../report/history.ts';
import { ReportFileError, readReportFile } from '../report/read.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { InputError } from './flags.ts';
import { err, out } from './output.ts';

/** A report given on the command line; one that cannot be read is bad input. */
async function readReport(given: string): ReturnType<typeof readReportFile> {
  try {
    return await readReportFile(given);
  } catch (error) {
    if (error instanceof ReportFileError) throw new InputError(error.message);
    throw error;
  }
}

async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text, 'utf8');
}

/** `expect --from REPORT [--out FILE]`: the YAML on stdout, or written to FILE. */
export async function expectCommand(flags: { from: string; out?: string }): Promise<number> {
  const { file, report } = await readReport(flags.from);
  const text = expectFileFor(report, file);
  const count = cellsToExpect(report).length;
  const errors = report.results.filter((r) => r.status === 'error').length;
  const skipped =
    errors > 0 ? ` (${errors} cells in error left out: an error says nothing about the client)` : '';
  if (flags.out === undefined) {
    out(text);
    if (skipped !== '') err(`expect:${skipped}\n`);
  } else {
    await writeOut(flags.out, text);
    out(`expect: ${count} entries written to ${flags.out}${skipped}\n`);
  }
  return 0;
}

/** `diff OLD NEW [--json]`: exit 1 when NEW regressed against OLD. */
export async function diffCommand(
  flags: { json?: boolean },
  oldPath: string,
  newPath: string,
): Promise<number> {
  const older = await readReport(oldPath);
  const newer = await readReport(newPath);
  const diff = diffReports(older.report, newer.report);
  const code = diff.regressions.length > 0 ? 1 : 0;
  if (flags.json) {
    out(`${JSON.stringify(diff, null, 2)}\n`);
  } else {
    const count = diff.regressions.length;
    out(`${older.file} → ${newer.file}\n${renderDiff(diff)}`);
    out(
      `result: ${count === 0 ? 'no regression' : `${count} regression${count === 1 ? '' : 's'}`} (exit ${code})\n`,
    );
  }
  return code;
}

/** `history DIR... [--out FILE]`: one HTML page of each requirement across the runs, in the order given. */
export async function historyCommand(flags: { out?: string }, reports: string[]): Promise<number> {
  const builds = [];
  for (const given of reports) {
    const { file, report } = await readReport(given);
    builds.push({ source: file, report });
  }
  const file = flags.out ?? 'history.html';
  await writeOut(file, renderHistory(builds, await loadCatalog(DEFAULT_OPTIONS.catalogFile)));
  out(`history: ${builds.length} runs → ${file}\n`);
  return 0;
}
