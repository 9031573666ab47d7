/**
 * The same suite through real Chromium: the reference client's web UI driven by role and accessible
 * name, the sign-in done on the mock Okta page in the browser. Verdicts must match the in-process
 * run requirement by requirement, for the clean client and for every defect.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SCRIPTED_DEFECTS } from '../client/core/defects.ts';
import { DEFAULT_TARGETS } from '../src/runner/options.ts';
import { defectRuns, run, verdicts } from './support/runs.ts';

describe('the full suite through the browser', () => {
  test('gives the in-process verdicts on every target, and keeps the screens it showed', async () => {
    const inProcess = await run({});
    const ui = await run({ client: 'ui' });
    assert.equal(ui.report.run.exitCode, 0, JSON.stringify(ui.report.run.errors));
    assert.deepEqual(verdicts(ui.report), verdicts(inProcess.report));
    assert.equal(ui.report.summary.scenarios, inProcess.report.summary.scenarios);

    for (const target of DEFAULT_TARGETS) {
      const dir = path.join(
        path.dirname(ui.reportFile),
        'targets',
        `${target.platform}-${target.clientVersion}`,
      );
      const shots = (await readdir(path.join(dir, 'evidence'), { recursive: true })).filter((f) =>
        f.endsWith('.png'),
      );
      assert.ok(
        shots.length > 20,
        `${shots.length} screenshots for ${target.platform} ${target.clientVersion}`,
      );
      const messages = await readFile(path.join(dir, 'messages.ndjson'), 'utf8');
      assert.match(messages, /"mediaType":"text\/uri-list"/);
      const linked = /"body":"(evidence\/[^"]+\.png)"/.exec(messages)?.[1];
      assert.ok(linked && shots.some((shot) => linked.endsWith(shot)), `linked screenshot ${linked}`);
    }
  });
});

describe('each defect through the browser', () => {
  for (const defect of SCRIPTED_DEFECTS) {
    test(`${defect.name}: the same verdicts as in process on ${(defect.shownIn ?? [defect.requirement]).join(' and ')}'s scenarios`, async () => {
      // The full browser run above already compares every scenario.
      const { inProcess, other } = await defectRuns(defect, { client: 'ui', evidence: 'failures' });
      assert.equal(other.report.run.exitCode, 1, JSON.stringify(other.report.run.errors));
      assert.deepEqual(verdicts(other.report), verdicts(inProcess.report));
    });
  }

  test('a scenario that does not conform keeps its trace and its screenshots', async () => {
    const ui = await run({
      client: 'ui',
      defect: 'partner-forgotten-on-close',
      targets: [{ platform: 'macos', clientVersion: '4.7' }],
      evidence: 'failures',
      tags: '@req:PERSIST',
    });
    const evidence = path.join(path.dirname(ui.reportFile), 'targets', 'macos-4.7', 'evidence');
    const files = await readdir(evidence, { recursive: true });
    const traces = files.filter((f) => f.endsWith('trace.zip'));
    assert.equal(traces.length, 1, files.join(', '));
    assert.match(traces[0] ?? '', /the-partner-tenant-is-still-listed-after-close/);
    assert.ok(files.some((f) => f.endsWith('.png')));
  });
});
