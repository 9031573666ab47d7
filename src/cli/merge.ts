/** `connector-conformance merge DIR... [--report-dir OUT] [--no-color]`. */
import { parseArgs } from 'node:util';
import { ReportFolderError } from '../report/folder.ts';
import { MergeError, mergeShards } from '../runner/merge.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { flagErrorLine } from './flags.ts';
import { printOutcome } from './main.ts';
import { err } from './output.ts';

export async function mergeCommand(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    err(`connector-conformance merge: ${flagErrorLine(error)}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  try {
    const outcome = await mergeShards(positionals, values['report-dir'] ?? DEFAULT_OPTIONS.reportDir);
    const color = !values['no-color'] && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    return printOutcome(outcome, color);
  } catch (error) {
    if (!(error instanceof MergeError || error instanceof ReportFolderError)) throw error;
    err(`connector-conformance: ${error.message}\n`);
    return 2;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: { 'report-dir': { type: 'string' }, 'no-color': { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
}
