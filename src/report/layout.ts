/** Where a run's reports lie in the report folder. */
import type { Target } from '../catalog/types.ts';

export const PAGE_FILE_NAME = 'index.html';
export const MARKDOWN_FILE_NAME = 'summary.md';

/** A target's Cucumber reports and evidence, relative to the report folder: "targets/windows-4.7". */
export function targetFolder(target: Target): string {
  return `targets/${target.platform}-${target.clientVersion}`;
}
