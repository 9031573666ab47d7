/**
 * What changed between two conformance reports of the same suite: the comparison behind
 * `connector-conformance diff OLD NEW` and `run --baseline OLD`.
 */
import type { Target } from '../catalog/types.ts';
import { cellLabel, failsGate, NEUTRAL } from './gate.ts';
import { truncate } from './summary.ts';
import type { CellChange, ConformanceReport, ReportDiff, RequirementResult } from './types.ts';

/**
 * How good a status is for the gate: conforms above expected-nonconforming above anything that
 * fails the gate (a status this version does not know included). Neutral statuses
 * (not-applicable, not-covered) have no rank: moving to or from one is a change, never a regression.
 */
function rank(status: string): number | undefined {
  if (NEUTRAL.has(status)) return undefined;
  if (status === 'conforms') return 2;
  return failsGate(status) ? 0 : 1;
}

const targetKey = (t: { platform: string; clientVersion: string }) => `${t.platform} ${t.clientVersion}`;
const cellKey = (r: RequirementResult) => `${r.requirement} ${targetKey(r)}`;

function change(before: RequirementResult, after: RequirementResult): CellChange {
  const out: CellChange = {
    requirement: after.requirement,
    platform: after.platform,
    clientVersion: after.clientVersion,
    from: before.status,
    to: after.status,
  };
  if (after.message !== undefined) out.message = after.message;
  return out;
}

/** The cells of `newer` that differ from `older`, and the requirements and targets one has and the other not. */
export function diffReports(older: ConformanceReport, newer: ConformanceReport): ReportDiff {
  const before = new Map(older.results.map((result) => [cellKey(result), result]));
  const diff: ReportDiff = {
    regressions: [],
    fixes: [],
    changes: [],
    newRequirements: [],
    removedRequirements: [],
    newTargets: [],
    removedTargets: [],
  };
  for (const after of newer.results) {
    const was = before.get(cellKey(after));
    if (was === undefined || was.status === after.status) continue;
    const from = rank(was.status);
    const to = rank(after.status);
    const list =
      from === undefined || to === undefined || from === to
        ? diff.changes
        : to < from
          ? diff.regressions
          : diff.fixes;
    list.push(change(was, after));
  }
  const oldIds = new Set(older.results.map((r) => r.requirement));
  const newIds = new Set(newer.results.map((r) => r.requirement));
  diff.newRequirements = [...newIds].filter((id) => !oldIds.has(id));
  diff.removedRequirements = [...oldIds].filter((id) => !newIds.has(id));
  const oldTargets = new Set(older.run.targets.map(targetKey));
  const newTargets = new Set(newer.run.targets.map(targetKey));
  const copy = (t: Target): Target => ({ platform: t.platform, clientVersion: t.clientVersion });
  diff.newTargets = newer.run.targets.filter((t) => !oldTargets.has(targetKey(t))).map(copy);
  diff.removedTargets = older.run.targets.filter((t) => !newTargets.has(targetKey(t))).map(copy);
  return diff;
}

function changeLine(change: CellChange): string {
  const message = change.message === undefined ? '' : `: ${change.message.replace(/\s+/g, ' ').trim()}`;
  return truncate(`  ${cellLabel(change)}: ${change.from} → ${change.to}${message}`, 100);
}

/** The diff as a list a person reads: each section with its count, "none" where nothing changed. */
export function renderDiff(diff: ReportDiff): string {
  const lines: string[] = [];
  const cells = (title: string, list: CellChange[]) => {
    lines.push(`${title} (${list.length})${list.length === 0 ? ': none' : ':'}`);
    lines.push(...list.map(changeLine));
  };
  const names = (title: string, list: string[]) => {
    lines.push(`${title} (${list.length})${list.length === 0 ? ': none' : `: ${list.join(', ')}`}`);
  };
  cells('regressions', diff.regressions);
  cells('fixes', diff.fixes);
  cells('other changes', diff.changes);
  names('new requirements', diff.newRequirements);
  names('removed requirements', diff.removedRequirements);
  names('new targets', diff.newTargets.map(targetKey));
  names('removed targets', diff.removedTargets.map(targetKey));
  return `${lines.join('\n')}\n`;
}
