/**
 * Every partner organisation of the fixtures is reached, and every partner tenant an Add Tenant
 * window offers is selected through to its identity provider page, as the scenarios' steps say.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadFixtures } from '../src/fixtures/load.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import { coverageGaps, describeCoverage, fixtureCoverage } from '../src/spec/fixture-coverage.ts';
import { loadScenarios, type SpecScenario } from '../src/spec/scenarios.ts';

const fixtures = await loadFixtures(DEFAULT_OPTIONS.fixturesDir);
const scenarios = await loadScenarios(path.join(PACKAGE_ROOT, 'features'));
const gapsOf = (selection: readonly SpecScenario[]) =>
  coverageGaps(fixtureCoverage(selection, fixtures), fixtures);
const without = (predicate: (scenario: SpecScenario) => boolean) =>
  scenarios.filter((scenario) => !predicate(scenario));
const uses = (text: string) => (scenario: SpecScenario) => scenario.steps.some((step) => step.includes(text));

describe('the fixtures the scenarios reach', () => {
  test('every partner organisation and every offered partner tenant is exercised', () => {
    assert.deepEqual(
      gapsOf(scenarios),
      [],
      describeCoverage(fixtureCoverage(scenarios, fixtures), fixtures).join('\n'),
    );
  });

  test('the partner on another cloud is signed in to, as is every option of the select-and-Connect form', () => {
    const coverage = fixtureCoverage(scenarios, fixtures);
    const otherCloud = fixtures.organisations.filter((o) => o.cloud !== 'zscalerthree.net');
    assert.deepEqual(
      otherCloud.map((o) => o.id),
      ['vandelay'],
    );
    assert.ok((coverage.signedIn.get('vandelay')?.length ?? 0) > 0);
    const [form] = coverage.options;
    assert.deepEqual(form?.list, ['Globex Corporation', 'Hooli']);
    assert.deepEqual([...(form?.selected.keys() ?? [])].toSorted(), ['Globex Corporation', 'Hooli']);
    assert.deepEqual(coverage.unknown, []);
  });

  test('a partner organisation no scenario reaches is a gap', () => {
    assert.deepEqual(gapsOf(without(uses('Vandelay Industries" appears'))), [
      'no scenario signs in to a partner tenant of "Vandelay Industries" (zscalertwo.net)',
    ]);
    assert.deepEqual(gapsOf(without(uses('"Initech"'))), [
      'no scenario adds or is refused a partner tenant of "Initech"',
    ]);
  });

  test('an offered partner tenant never selected through to its sign-in is a gap', () => {
    const gaps = gapsOf(without(uses('I select the partner tenant "Hooli"')));
    assert.equal(gaps.length, 1, gaps.join('\n'));
    assert.match(
      gaps[0] ?? '',
      /^the option "Hooli" of "Globex Corporation, Hooli" \(offered in features\/windows\/select-partner-tenant\.feature:\d+/,
    );
  });

  test("an app profile's partner domains never offered are a gap", () => {
    assert.deepEqual(gapsOf(without(uses('the Add Tenant window offers the partner tenants'))), [
      `the partner tenants "Globex Corporation, Hooli" of Acme Corp's app profile "Restricted Partners" are never offered`,
    ]);
  });

  test('a step naming an organisation the fixtures do not have is a gap', () => {
    const [first] = scenarios;
    assert.ok(first);
    const odd = {
      ...first,
      steps: ['the identity provider page for the partner organisation "Globex Corp" appears'],
    };
    assert.deepEqual(gapsOf([...scenarios, odd]), [
      'the steps name "Globex Corp", which the fixtures do not have',
    ]);
  });
});
