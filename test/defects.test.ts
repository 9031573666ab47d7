/**
 * The suite catches broken clients: with each of the reference client's defects switched on, the
 * defect's requirement does not conform, and nothing else is flagged but what the defect declares
 * it necessarily breaks (nonconforming) or makes unverifiable (blocked).
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFECTS } from '../client/core/defects.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import { runConformance } from '../src/runner/run.ts';

const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);

test('there is at least one defect per requirement', () => {
  for (const requirement of catalog) {
    assert.ok(
      DEFECTS.some((defect) => defect.requirement === requirement.id),
      `no defect breaks ${requirement.id}`,
    );
  }
});

describe('each defect is reported on its requirement', () => {
  for (const defect of DEFECTS) {
    test(`${defect.name} → ${defect.requirement}`, async () => {
      const reportDir = await mkdtemp(path.join(tmpdir(), `defect-${defect.name}-`));
      const { report } = await runConformance({ reportDir, defect: defect.name });
      assert.equal(report.run.exitCode, 1, JSON.stringify(report.run.errors));
      assert.equal(report.client.defect, defect.name);

      const own = report.results.filter((r) => r.requirement === defect.requirement);
      assert.ok(
        own.some((r) => r.status === 'nonconforming' && r.message),
        `${defect.requirement} is ${own.map((r) => r.status).join(', ')}`,
      );
      const mayBreak = new Set([defect.requirement, ...(defect.alsoBreaks ?? [])]);
      const mayBlock = (id: string) => defect.blocks === 'all' || (defect.blocks ?? []).includes(id);
      for (const result of report.results) {
        const where = `${result.requirement} on ${result.platform} ${result.clientVersion}`;
        if (result.status === 'nonconforming')
          assert.ok(mayBreak.has(result.requirement), `${where} flagged: ${result.message}`);
        else if (result.status === 'blocked')
          assert.ok(mayBlock(result.requirement), `${where} blocked: ${result.message}`);
        else
          assert.ok(
            ['conforms', 'not-applicable'].includes(result.status),
            `${where} is ${result.status}: ${result.message}`,
          );
      }
    });
  }
});
