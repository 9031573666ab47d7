/** Reports as the project writes them, read back from disk and checked against conformance.schema.json. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateReport } from '../../src/report/schema.ts';
import type { ConformanceReport } from '../../src/report/types.ts';

/** `<dir>/conformance.json`, failing the test when it does not validate against the schema. */
export async function readValidReport(dir: string): Promise<ConformanceReport> {
  const file = path.join(dir, 'conformance.json');
  const report = JSON.parse(await readFile(file, 'utf8')) as unknown;
  assert.deepEqual(validateReport(report), [], `${file} does not validate against conformance.schema.json`);
  return report as ConformanceReport;
}
