/** Reports as the project writes them, read back from disk and checked against conformance.schema.json. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from '../../src/catalog/types.ts';
import { summaryOf } from '../../src/report/build.ts';
import { gateExitCode } from '../../src/report/gate.ts';
import { validateReport } from '../../src/report/schema.ts';
import type { ConformanceReport, RequirementResult } from '../../src/report/types.ts';

/** `<dir>/conformance.json`, failing the test when it does not validate against the schema. */
export async function readValidReport(dir: string): Promise<ConformanceReport> {
  const file = path.join(dir, 'conformance.json');
  const report = JSON.parse(await readFile(file, 'utf8')) as unknown;
  assert.deepEqual(validateReport(report), [], `${file} does not validate against conformance.schema.json`);
  return report as ConformanceReport;
}

/** A report made up for a unit test: `results` on `targets`, its summary and exit code derived as a run's are. */
export function syntheticReport(
  results: RequirementResult[],
  targets: Target[],
  scenarioCount = results.length,
): ConformanceReport {
  return {
    reportVersion: 1,
    suite: { name: 'suite', version: '0.1.0' },
    client: { name: 'client', driver: 'reference', version: '4.7' },
    run: {
      startedAt: '2025-01-02T03:04:05.000Z',
      finishedAt: '2025-01-02T03:04:07.000Z',
      durationMs: 2000,
      targets,
      exitCode: gateExitCode({ results, run: { errors: [] } }),
      errors: [],
    },
    summary: summaryOf(results, scenarioCount),
    results,
  };
}
