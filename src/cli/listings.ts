/** `requirements` (the catalog, a table or JSON) and `defects` (the reference client's, JSON). */
import { DEFECTS } from '../../client/core/defects.ts';
import { describeApplicability } from '../catalog/applicability.ts';
import { loadCatalog } from '../catalog/load.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { out } from './output.ts';

export function defectsCommand(): number {
  out(`${JSON.stringify(DEFECTS, null, 2)}\n`);
  return 0;
}

export async function requirementsCommand(flags: { json?: boolean }): Promise<number> {
  const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
  if (flags.json) {
    out(`${JSON.stringify(catalog, null, 2)}\n`);
    return 0;
  }
  const rows = catalog.map((r) => [r.id, r.level, describeApplicability(r.appliesTo), r.title]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  for (const row of rows) {
    out(`${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}\n`);
  }
  return 0;
}
