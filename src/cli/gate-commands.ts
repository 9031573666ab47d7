/**
 * The commands that read reports rather than run the suite: `expect --from` (an expect file from a
 * run), `diff OLD NEW` (regressions and fixes between two builds) and `history DIR...` (a page of
 * each requirement across a series of builds). Bad input: one line naming the flag or file, exit 2.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { loadCatalog } from '../catalog/load.ts';
import { diffReports, renderDiff } from '../report/diff.ts';
import { cellsToExpect, expectFileFor } from '../report/expect.ts';
import { renderHistory } from '../report/history.ts';
import { ReportFileError, readReportFile } from '../report/read.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { flagErrorLine } from './flags.ts';
import { err, out } from './output.ts';

class CommandError extends Error {
  override name = 'CommandError';
}

function parse<F extends ParseArgsOptionsConfig>(args: string[], options: F) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CommandError(flagErrorLine(error));
  }
}

/** Runs a command; its CommandError or ReportFileError becomes one line on stderr and exit 2. */
async function guarded(name: string, command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (!(error instanceof CommandError || error instanceof ReportFileError)) throw error;
    err(`connector-conformance ${name}: ${error.message}\n`);
    return 2;
  }
}

async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text, 'utf8');
}

/** `expect --from REPORT [--out FILE]`: the YAML on stdout, or written to FILE. */
export function expectCommand(args: string[]): Promise<number> {
  return guarded('expect', async () => {
    const { values, positionals } = parse(args, { from: { type: 'string' }, out: { type: 'string' } });
    if (positionals.length > 0) throw new CommandError(`unexpected argument "${positionals[0]}"`);
    if (values.from === undefined) throw new CommandError('--from: give the conformance.json to read');
    const { file, report } = await readReportFile(values.from);
    const text = expectFileFor(report, file);
    const count = cellsToExpect(report).length;
    const errors = report.results.filter((r) => r.status === 'error').length;
    const skipped =
      errors > 0 ? ` (${errors} cells in error left out: an error says nothing about the client)` : '';
    if (values.out === undefined) {
      out(text);
      if (skipped !== '') err(`expect:${skipped}\n`);
    } else {
      await writeOut(values.out, text);
      out(`expect: ${count} entries written to ${values.out}${skipped}\n`);
    }
    return 0;
  });
}

/** `diff OLD NEW [--json]`: exit 1 when NEW regressed against OLD. */
export function diffCommand(args: string[]): Promise<number> {
  return guarded('diff', async () => {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    const [oldPath, newPath, extra] = positionals;
    if (oldPath === undefined || newPath === undefined || extra !== undefined) {
      throw new CommandError('expected two reports: diff OLD.json NEW.json');
    }
    const older = await readReportFile(oldPath);
    const newer = await readReportFile(newPath);
    const diff = diffReports(older.report, newer.report);
    const code = diff.regressions.length > 0 ? 1 : 0;
    if (values.json) {
      out(`${JSON.stringify(diff, null, 2)}\n`);
    } else {
      const count = diff.regressions.length;
      out(`${older.file} → ${newer.file}\n${renderDiff(diff)}`);
      out(
        `result: ${count === 0 ? 'no regression' : `${count} regression${count === 1 ? '' : 's'}`} (exit ${code})\n`,
      );
    }
    return code;
  });
}

/** `history DIR... [--out FILE]`: one HTML page of each requirement across the runs, in the order given. */
export function historyCommand(args: string[]): Promise<number> {
  return guarded('history', async () => {
    const { values, positionals } = parse(args, { out: { type: 'string' } });
    if (positionals.length === 0)
      throw new CommandError('give one or more report folders (or conformance.json files)');
    const builds = [];
    for (const given of positionals) {
      const { file, report } = await readReportFile(given);
      builds.push({ source: file, report });
    }
    const file = values.out ?? 'history.html';
    await writeOut(file, renderHistory(builds, await loadCatalog(DEFAULT_OPTIONS.catalogFile)));
    out(`history: ${builds.length} runs → ${file}\n`);
    return 0;
  });
}
