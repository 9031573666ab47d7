/** `connector-conformance merge DIR... [--report-dir OUT] [--no-color]`. */
import { ReportFolderError } from '../report/folder.ts';
import { MergeError, mergeShards } from '../runner/merge.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { useColor } from './color.ts';
import { err } from './output.ts';
import type { MergeFlags } from './program.ts';
import { printOutcome } from './run-command.ts';

export async function mergeCommand(flags: MergeFlags, dirs: string[]): Promise<number> {
  try {
    const outcome = await mergeShards(dirs, flags.reportDir ?? DEFAULT_OPTIONS.reportDir);
    return printOutcome(outcome, useColor(flags.color));
  } catch (error) {
    if (!(error instanceof MergeError || error instanceof ReportFolderError)) throw error;
    err(`connector-conformance: ${error.message}\n`);
    return 2;
  }
}
