/**
 * What a run is gated against besides its own verdicts: the expect file (`--expect`) and the
 * baseline report (`--baseline`). Both are read and checked before the run starts, so a bad one
 * stops it (exit 2), and applied to the report once it is built.
 */
import type { Requirement, Target } from '../catalog/types.ts';
import { diffReports } from '../report/diff.ts';
import { applyExpectations, checkExpectations, type ExpectEntry, loadExpectFile } from '../report/expect.ts';
import { gateExitCode } from '../report/gate.ts';
import { readReportFile } from '../report/read.ts';
import type { ConformanceReport } from '../report/types.ts';

export interface GateInputs {
  expect?: { file: string; entries: ExpectEntry[] };
  baseline?: { file: string; report: ConformanceReport };
}

export async function loadGateInputs(
  files: { expectFile?: string; baselineFile?: string },
  catalog: readonly Requirement[],
  targets: readonly Target[],
): Promise<GateInputs> {
  const inputs: GateInputs = {};
  if (files.expectFile !== undefined) {
    const entries = await loadExpectFile(files.expectFile);
    checkExpectations(files.expectFile, entries, catalog, targets);
    inputs.expect = { file: files.expectFile, entries };
  }
  if (files.baselineFile !== undefined) {
    const { report } = await readReportFile(files.baselineFile);
    inputs.baseline = { file: files.baselineFile, report };
  }
  return inputs;
}

/** The report with the expectations applied, then compared with the baseline; its exit code recomputed. */
export function applyGateInputs(report: ConformanceReport, inputs: GateInputs): ConformanceReport {
  const expected = inputs.expect
    ? applyExpectations(report, inputs.expect.entries, inputs.expect.file)
    : report;
  if (inputs.baseline === undefined) return expected;
  const gated: ConformanceReport = {
    ...expected,
    run: { ...expected.run },
    baseline: { file: inputs.baseline.file, ...diffReports(inputs.baseline.report, expected) },
  };
  gated.run.exitCode = gateExitCode(gated);
  return gated;
}
