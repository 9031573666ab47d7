/**
 * Every clause of every requirement is checked by some scenario (docs/clause-audit.md), and the
 * audit sees a gap as a gap. This file loads the step files itself: it runs no Cucumber run.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Requirement } from '../src/catalog/types.ts';
import { CheckRegistry } from '../src/check-registry.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { auditClauses, renderClauseAudit } from '../src/spec/clause-audit.ts';
import { clauseAuditOfTheSuite } from '../src/spec/suite-clauses.ts';

const audit = await clauseAuditOfTheSuite();

describe('the clause audit of the suite', () => {
  test('every clause of every requirement has a check that a scenario tagged with it runs', () => {
    assert.ok(audit.clauses.length >= 22, `only ${audit.clauses.length} clauses`);
    assert.deepEqual(
      audit.gaps.map(({ requirement, clause }) => `${requirement.id}#${clause.id}`),
      [],
    );
  });

  test('every check names clauses the catalog has', () => {
    assert.deepEqual(audit.unknown, []);
  });

  test('docs/clause-audit.md is up to date (node scripts/clause-audit.ts)', async () => {
    const written = await readFile(path.join(PACKAGE_ROOT, 'docs', 'clause-audit.md'), 'utf8');
    assert.equal(written, renderClauseAudit(audit));
  });
});

describe('auditClauses', () => {
  const requirement: Requirement = {
    id: 'PRE-ZIA',
    title: 'Partner logins work for a ZIA-only organisation',
    group: 'preconditions',
    level: 'documented',
    appliesTo: [{ platform: 'windows' }],
    behaviour: 'A ZIA-only user can add a partner tenant; it is then listed with ZPA on.',
    clauses: [
      { id: 'can-add', says: 'can add' },
      { id: 'zpa-on', says: 'listed with ZPA on' },
    ],
    source: { document: 'seed/adding-a-partner-tenant.txt', quote: 'quote' },
  };
  const scenario = (tags: string[]) => ({
    name: 'ZIA-only',
    uri: 'features/x.feature',
    location: 'features/x.feature:3',
    tags,
    steps: ['the Private Access window lists the partner tenant "Globex Corporation"'],
  });

  test('a clause no check verifies is a gap, however well the others are checked', () => {
    const checks = new CheckRegistry();
    checks.register('the Private Access window lists the partner tenant {string}', ['PRE-ZIA#can-add']);
    const found = auditClauses({
      catalog: [requirement],
      checks: checks.checks(),
      scenarios: [scenario(['@req:PRE-ZIA'])],
    });
    assert.deepEqual(
      found.gaps.map((gap) => gap.clause.id),
      ['zpa-on'],
    );
    assert.match(
      renderClauseAudit(found),
      /- \*\*zpa-on\*\*: listed with ZPA on\n {2}- \*\*No check verifies this clause\.\*\*/,
    );
  });

  test('a check counts only in scenarios tagged with the requirement, and unknown clauses are named', () => {
    const checks = new CheckRegistry();
    checks.register('the Private Access window lists the partner tenant {string}', [
      'PRE-ZIA#can-add',
      'PRE-ZIA#zpa-on',
      'PRE-ZIA#no-such-clause',
    ]);
    const found = auditClauses({
      catalog: [requirement],
      checks: checks.checks(),
      scenarios: [scenario(['@req:PA-OPEN'])],
    });
    assert.equal(found.gaps.length, 2);
    assert.deepEqual(found.unknown, [
      {
        pattern: 'the Private Access window lists the partner tenant {string}',
        ref: 'PRE-ZIA#no-such-clause',
      },
    ]);
  });
});
