/**
 * Expected nonconformances (`run --expect FILE`): cells known not to conform, each with a reason.
 * A listed cell that is nonconforming or blocked becomes `expected-nonconforming` and does not fail
 * the gate; a listed cell that conforms fails it until the entry is removed; `error` stays `error`.
 */
import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, stringify } from 'yaml';
import { applies, targetLabel } from '../catalog/applicability.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import { once } from '../once.ts';
import { summaryOf } from './build.ts';
import schema from './expect.schema.json' with { type: 'json' };
import { cellLabel, failsGate, gateExitCode } from './gate.ts';
import type { CellRef, ConformanceReport, RequirementResult } from './types.ts';

export interface ExpectEntry extends CellRef {
  reason: string;
  link?: string;
}

/** A bad expect file; the message is one line naming the file and the entry. */
export class ExpectFileError extends Error {
  override name = 'ExpectFileError';
}

const validator = once(() =>
  new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile<{
    expected: ExpectEntry[];
  }>(schema),
);

const cellKey = (cell: CellRef) => `${cell.requirement} ${cell.platform} ${cell.clientVersion}`;

/** "expected[2] (PRE-ORG on windows 4.7)": the entry as the file shows it, for error messages. */
function entryName(entries: unknown, index: number): string {
  const entry = Array.isArray(entries) ? (entries[index] as Partial<Record<string, unknown>>) : undefined;
  const { requirement, platform, clientVersion } = entry ?? {};
  const cell =
    typeof requirement === 'string' && typeof platform === 'string' && typeof clientVersion === 'string'
      ? ` (${cellLabel({ requirement, platform, clientVersion })})`
      : '';
  return `expected[${index}]${cell}`;
}

const FIELD_RULES: Record<string, string> = {
  platform: 'must be windows or macos',
  clientVersion: 'must be a version like 4.7 or 4.6.1',
  link: 'must be an http(s) URL',
};

function schemaProblem(error: ErrorObject, data: { expected?: unknown } | null): string {
  const [, list, index, field] = error.instancePath.split('/');
  if (list === undefined) {
    if (error.keyword === 'additionalProperties' && 'additionalProperty' in error.params) {
      return `unknown top-level field "${String(error.params.additionalProperty)}" (expected only "expected")`;
    }
    return 'expected a mapping with a list under "expected:"';
  }
  if (index === undefined) return '"expected" must be a list of entries';
  const where = entryName(data?.expected, Number(index));
  if (field === undefined) {
    if (error.keyword === 'required' && 'missingProperty' in error.params) {
      return `${where}: missing ${String(error.params.missingProperty)}`;
    }
    if (error.keyword === 'additionalProperties' && 'additionalProperty' in error.params) {
      return `${where}: unknown field "${String(error.params.additionalProperty)}"`;
    }
    return `${where}: expected a mapping of requirement, platform, clientVersion, reason and link`;
  }
  const entries = data?.expected as (Record<string, unknown> | undefined)[];
  const value = entries[Number(index)]?.[field];
  return `${where}: ${field} ${FIELD_RULES[field] ?? error.message ?? 'is invalid'} (got ${JSON.stringify(value)})`;
}

/** Reads and schema-checks an expect file; throws ExpectFileError naming the file and the entry. */
export async function loadExpectFile(file: string): Promise<ExpectEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ExpectFileError(
      `${file}: cannot read the expect file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  let data: unknown;
  try {
    // Every value a string, so that a version like 4.10 is not read as the number 4.1.
    data = parse(text, { schema: 'failsafe' });
  } catch (error) {
    throw new ExpectFileError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const validate = validator();
  if (!validate(data)) {
    // A misspelt field says more than the field it leaves missing.
    const errors = validate.errors ?? [];
    const error = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
    const problem = error === undefined ? 'is invalid' : schemaProblem(error, data as { expected?: unknown });
    throw new ExpectFileError(`${file}: ${problem}`);
  }
  const seen = new Map<string, number>();
  for (const [index, entry] of data.expected.entries()) {
    const first = seen.get(cellKey(entry));
    if (first !== undefined) {
      throw new ExpectFileError(
        `${file}: ${entryName(data.expected, index)}: the same cell as expected[${first}]`,
      );
    }
    seen.set(cellKey(entry), index);
  }
  return data.expected;
}

/**
 * Every entry must name a cell the run has: a catalog requirement, a target the run runs, and a
 * requirement that applies there. Throws ExpectFileError naming the first entry that does not.
 */
export function checkExpectations(
  file: string,
  entries: readonly ExpectEntry[],
  catalog: readonly Requirement[],
  targets: readonly Target[],
): void {
  for (const [index, entry] of entries.entries()) {
    const where = `${file}: ${entryName(entries, index)}`;
    const requirement = catalog.find((r) => r.id === entry.requirement);
    if (requirement === undefined) {
      throw new ExpectFileError(`${where} matches nothing: ${entry.requirement} is not in the catalog`);
    }
    const target = { platform: entry.platform, clientVersion: entry.clientVersion };
    if (!targets.some((t) => t.platform === target.platform && t.clientVersion === target.clientVersion)) {
      const run = targets.map(targetLabel).join(', ');
      throw new ExpectFileError(`${where} matches nothing: this run's targets are ${run}`);
    }
    if (!applies(requirement, target)) {
      throw new ExpectFileError(
        `${where} matches nothing: ${entry.requirement} does not apply to ${targetLabel(target)}`,
      );
    }
  }
}

function expected(result: RequirementResult, entry: ExpectEntry): RequirementResult {
  const expectation: RequirementResult['expectation'] = { reason: entry.reason, found: result.status };
  if (entry.link !== undefined) expectation.link = entry.link;
  const known = result.status !== 'error' && failsGate(result.status);
  return { ...result, status: known ? 'expected-nonconforming' : result.status, expectation };
}

/** The report with the entries applied to their cells, its summary and exit code recomputed. */
export function applyExpectations(
  report: ConformanceReport,
  entries: readonly ExpectEntry[],
  file: string,
): ConformanceReport {
  const byCell = new Map(entries.map((entry) => [cellKey(entry), entry]));
  const results = report.results.map((result) => {
    const entry = byCell.get(cellKey(result));
    return entry === undefined ? result : expected(result, entry);
  });
  const applied: ConformanceReport = {
    ...report,
    run: { ...report.run, expect: file },
    summary: summaryOf(results, report.summary.scenarios),
    results,
  };
  applied.run.exitCode = gateExitCode(applied);
  return applied;
}

/** Cells an expect file written from this report lists: those failing the gate but not in error, and those already expected. */
export function cellsToExpect(report: ConformanceReport): RequirementResult[] {
  return report.results.filter(
    (r) => r.status === 'expected-nonconforming' || (failsGate(r.status) && r.status !== 'error'),
  );
}

/** An expect file (YAML) listing the report's cells to expect; an entry already expected keeps its reason. */
export function expectFileFor(report: ConformanceReport, source: string): string {
  const expectedCells = cellsToExpect(report).map((r) => {
    const entry: ExpectEntry = {
      requirement: r.requirement,
      platform: r.platform,
      clientVersion: r.clientVersion,
      reason: r.expectation?.reason ?? 'TODO: why',
    };
    if (r.expectation?.link !== undefined) entry.link = r.expectation.link;
    return entry;
  });
  const header = [
    '# Cells known not to conform, for `connector-conformance run --expect FILE`.',
    `# Written from ${source} (${report.client.name} ${report.client.version}, run ${report.run.finishedAt}).`,
    '# Give each entry its reason (and a link to where it is tracked, if any).',
  ];
  return `${header.join('\n')}\n${stringify({ expected: expectedCells })}`;
}
