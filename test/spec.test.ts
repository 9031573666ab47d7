/** The catalog, the features and the target selection stay in step. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { applies, targetLabel } from '../src/catalog/applicability.ts';
import { CatalogError, loadCatalog } from '../src/catalog/load.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { DEFAULT_OPTIONS, DEFAULT_TARGETS } from '../src/runner/options.ts';
import { findVersionTags, targetTagExpression } from '../src/runner/target-tags.ts';
import { loadScenarios, matchesTags } from '../src/spec/scenarios.ts';

const featuresDir = path.join(PACKAGE_ROOT, 'features');
const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
const scenarios = await loadScenarios(featuresDir);
const versionTags = await findVersionTags(featuresDir);
const requirementsOf = (tags: readonly string[]) =>
  tags.filter((tag) => tag.startsWith('@req:')).map((tag) => tag.slice('@req:'.length));

describe('requirement catalog', () => {
  test('has every requirement of the design draft, each quoting its source', () => {
    const ids = catalog.map((r) => r.id);
    for (const id of [
      'PRE-ORG',
      'PRE-PARTNER',
      'PRE-PARTNER-SPECIFIC',
      'PRE-PROFILE',
      'PRE-DOMAIN',
      'PRE-LEGACY',
    ]) {
      assert.ok(ids.includes(id), id);
    }
    for (const id of [
      'PRE-ZIA',
      'PA-OPEN',
      'PA-ZIA-ONLY',
      'AT-OPEN',
      'AT-USERNAME',
      'AT-SELECT',
      'AT-MAC-NO-SELECT',
    ]) {
      assert.ok(ids.includes(id), id);
    }
    for (const id of ['IDP-PARTNER', 'IDP-RETURN', 'EX-PARTNER-OFF-MAIN', 'EX-MAIN-ON', 'EX-PARTNER-ON']) {
      assert.ok(ids.includes(id), id);
    }
    for (const id of ['EX-ONE-ACTIVE', 'PERSIST', 'FAIL-NO-CHANGE']) assert.ok(ids.includes(id), id);
  });

  test('quotes sentences that are really in the article', async () => {
    for (const requirement of catalog.filter((r) => r.source.document.startsWith('seed/'))) {
      // `seed/…` documents are the vendor articles the suite encodes, kept beside the catalog.
      const file = path.join(featuresDir, requirement.source.document);
      const article = (await readFile(file, 'utf8')).replace(/\s+/g, ' ');
      for (const part of requirement.source.quote.split(/\s*\[\.\.\.\]\s*/)) {
        assert.ok(article.includes(part.replace(/\s+/g, ' ')), `${requirement.id} quotes "${part}"`);
      }
    }
  });

  test('a broken catalog stops with the file and the field', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'catalog-'));
    const text = await readFile(DEFAULT_OPTIONS.catalogFile, 'utf8');
    await writeFile(path.join(dir, 'requirements.yaml'), text.replace('level: inferred', 'level: guessed'));
    await writeFile(
      path.join(dir, 'requirements.schema.json'),
      await readFile(path.join(featuresDir, 'requirements.schema.json')),
    );
    await assert.rejects(loadCatalog(path.join(dir, 'requirements.yaml')), (error: Error) => {
      assert.ok(error instanceof CatalogError);
      assert.match(
        error.message,
        /requirements\.yaml: \d+\.level must be equal to one of the allowed values/,
      );
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });
});

describe('features', () => {
  test('every scenario covers catalog requirements only, and at least one', () => {
    const ids = new Set(catalog.map((r) => r.id));
    for (const scenario of scenarios) {
      const required = requirementsOf(scenario.tags);
      assert.ok(required.length > 0, `${scenario.uri}: "${scenario.name}" has no @req tag`);
      for (const id of required) assert.ok(ids.has(id), `${scenario.uri}: unknown requirement @req:${id}`);
    }
  });

  test('every scenario names exactly one platform', () => {
    for (const scenario of scenarios) {
      const platforms = scenario.tags.filter((tag) => tag.startsWith('@platform:'));
      assert.equal(
        platforms.length,
        1,
        `${scenario.uri}: "${scenario.name}" has ${platforms.join(' ') || 'no platform'}`,
      );
    }
  });

  for (const target of DEFAULT_TARGETS) {
    test(`on ${targetLabel(target)}, every applicable requirement has a scenario and no scenario checks a requirement that does not apply`, () => {
      const selected = scenarios.filter((s) => matchesTags(targetTagExpression(target, versionTags), s.tags));
      assert.ok(selected.length >= 10, `only ${selected.length} scenarios on ${targetLabel(target)}`);
      const covered = new Set(selected.flatMap((s) => requirementsOf(s.tags)));
      for (const requirement of catalog) {
        assert.equal(
          covered.has(requirement.id),
          applies(requirement, target),
          `${requirement.id} on ${targetLabel(target)}`,
        );
      }
    });
  }
});

describe('target selection', () => {
  test('keeps version-bound scenarios to their versions', () => {
    const tags = [
      { tag: '@min-version:4.6', kind: 'min-version', version: '4.6' },
      { tag: '@below-version:4.6', kind: 'below-version', version: '4.6' },
    ] as const;
    const on = (clientVersion: string) => targetTagExpression({ platform: 'windows', clientVersion }, tags);
    assert.ok(matchesTags(on('4.6'), ['@platform:windows', '@min-version:4.6']));
    assert.ok(matchesTags(on('4.10'), ['@platform:windows', '@min-version:4.6']));
    assert.ok(!matchesTags(on('4.5.9'), ['@platform:windows', '@min-version:4.6']));
    assert.ok(matchesTags(on('4.5.9'), ['@platform:windows', '@below-version:4.6']));
    assert.ok(!matchesTags(on('4.6'), ['@platform:windows', '@below-version:4.6']));
    assert.ok(!matchesTags(on('4.6'), ['@platform:macos']));
  });
});
