import type { Applicability, Requirement, Target } from './types.ts';

/**
 * Compares dotted numeric versions ("4.7" < "4.10", "4.7" == "4.7.0"). Returns a negative number,
 * zero or a positive number. A part that is not a number is compared as text after the numbers.
 */
export function compareVersions(a: string, b: string): number {
  const left = a.trim().split('.');
  const right = b.trim().split('.');
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const l = left[i] ?? '0';
    const r = right[i] ?? '0';
    const ln = /^\d+$/.test(l) ? Number(l) : Number.NaN;
    const rn = /^\d+$/.test(r) ? Number(r) : Number.NaN;
    if (!Number.isNaN(ln) && !Number.isNaN(rn)) {
      if (ln !== rn) return ln - rn;
      continue;
    }
    if (Number.isNaN(ln) !== Number.isNaN(rn)) return Number.isNaN(ln) ? 1 : -1;
    if (l !== r) return l < r ? -1 : 1;
  }
  return 0;
}

/** Whether one applicability entry covers the target: same platform, minVersion ≤ version < belowVersion. */
export function appliesTo(entry: Applicability, target: Target): boolean {
  if (entry.platform !== target.platform) return false;
  if (entry.minVersion !== undefined && compareVersions(target.clientVersion, entry.minVersion) < 0)
    return false;
  if (entry.belowVersion !== undefined && compareVersions(target.clientVersion, entry.belowVersion) >= 0) {
    return false;
  }
  return true;
}

/** Whether the requirement applies to the target according to the catalog. */
export function applies(requirement: Pick<Requirement, 'appliesTo'>, target: Target): boolean {
  return requirement.appliesTo.some((entry) => appliesTo(entry, target));
}

/** "windows ≥4.6, macos <4.7" — for messages. */
export function describeApplicability(appliesTo: readonly Applicability[]): string {
  if (appliesTo.length === 0) return 'no platform';
  return appliesTo
    .map((entry) => {
      const range = [
        entry.minVersion !== undefined ? `≥${entry.minVersion}` : '',
        entry.belowVersion !== undefined ? `<${entry.belowVersion}` : '',
      ]
        .filter((part) => part !== '')
        .join(' ');
      return range === '' ? entry.platform : `${entry.platform} ${range}`;
    })
    .join(', ');
}

/** "windows 4.7" */
export function targetLabel(target: Target): string {
  return `${target.platform} ${target.clientVersion}`;
}
