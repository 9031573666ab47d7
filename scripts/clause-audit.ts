// Writes docs/clause-audit.md: each requirement clause with the checks and scenarios that verify it.
// `--check` writes nothing and exits 1 when the file is out of date or the audit finds a gap.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { renderClauseAudit } from '../src/spec/clause-audit.ts';
import { clauseAuditOfTheSuite } from '../src/spec/suite-clauses.ts';

const file = path.join(PACKAGE_ROOT, 'docs', 'clause-audit.md');
const audit = await clauseAuditOfTheSuite();
const text = renderClauseAudit(audit);
const problems = [
  ...audit.gaps.map(({ requirement, clause }) => `${requirement.id}#${clause.id} has no check`),
  ...audit.unknown.map(({ pattern, ref }) => `"${pattern}" names ${ref}, which the catalog does not have`),
];
if (process.argv.includes('--check')) {
  const written = await readFile(file, 'utf8').catch(() => '');
  if (written !== text)
    problems.push('docs/clause-audit.md is out of date: run node scripts/clause-audit.ts');
} else {
  await writeFile(file, text);
}
for (const problem of problems) console.error(`clause audit: ${problem}`);
process.exit(problems.length > 0 ? 1 : 0);
