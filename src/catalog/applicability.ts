import { compareVersions } from '../version.ts';
import type { Applicability, Requirement, Target } from './types.ts';

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
