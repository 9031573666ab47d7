/**
 * A client that shows the partner's sign-in page inside its own authentication window (a web view)
 * and reports no authorization URL: the harness signs in through that window
 * (src/agents/client-window-user-agent.ts) and judges the request from the identity providers'
 * records. The reference client does this with `authentication: embedded`; the suite must give the
 * verdicts it gives with the URL reported, clean and with every defect.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFECTS, SCRIPTED_DEFECTS } from '../client/core/defects.ts';
import { DEFAULT_TARGETS } from '../src/runner/options.ts';
import { BIN, cli } from './support/cli.ts';
import { defectRuns, run, verdicts } from './support/runs.ts';

const EMBEDDED = `module:${path.join(import.meta.dirname, 'support', 'embedded-reference-driver.ts')}`;
const SERVE_EMBEDDED = `node ${BIN} serve-client --authentication embedded --platform {platform} --client-version {version} --port {port}`;

/**
 * The one defect whose trigger an embedded window cannot tell apart: closing the authentication
 * window. The window shows one Cancel, the page's (the identity provider answers access_denied), so
 * "I close the authentication window" and "I cancel the sign-in" are the same click, and the defect's
 * window-only path never runs. Its sibling retry-after-cancel-refused is caught through that Cancel.
 */
const WINDOW_CLOSE_ONLY = 'retry-after-closed-window-refused';

describe('the sign-in typed into the client window', () => {
  test('in process: the full suite gives the verdicts of the URL reported, on every default target', async () => {
    const reported = await run({});
    const embedded = await run({ client: EMBEDDED });
    assert.equal(embedded.report.run.exitCode, 0, JSON.stringify(embedded.report.run.errors));
    assert.deepEqual(embedded.report.run.targets, DEFAULT_TARGETS);
    assert.deepEqual(verdicts(embedded.report), verdicts(reported.report));
    assert.equal(embedded.report.summary.scenarios, reported.report.summary.scenarios);
  });

  test('over ccdp/1: serve-client --authentication embedded gives the same verdicts', async () => {
    const targets = [{ platform: 'windows' as const, clientVersion: '4.7' }];
    const reported = await run({ targets });
    const served = await run({ clientCommand: SERVE_EMBEDDED, targets });
    assert.equal(served.report.run.exitCode, 0, JSON.stringify(served.report.run.errors));
    assert.deepEqual(verdicts(served.report), verdicts(reported.report));
  });

  test('serve-client --authentication with another value: one line naming the flag, exit 2', async () => {
    const { code, stderr } = await cli([
      'serve-client',
      '--platform',
      'windows',
      '--client-version',
      '4.7',
      '--authentication',
      'popup',
    ]);
    assert.equal(code, 2);
    assert.match(
      stderr.trim(),
      /^connector-conformance serve-client: --authentication: expected browser or embedded \(got "popup"\)$/,
    );
  });

  describe('every defect: the verdicts of the URL reported', () => {
    for (const defect of SCRIPTED_DEFECTS) {
      if (defect.name === WINDOW_CLOSE_ONLY) continue;
      test(defect.name, async () => {
        const { inProcess, other } = await defectRuns(defect, { client: EMBEDDED });
        assert.equal(other.report.run.exitCode, 1, JSON.stringify(other.report.run.errors));
        assert.deepEqual(verdicts(other.report), verdicts(inProcess.report));
      });
    }

    test(`${WINDOW_CLOSE_ONLY}: closing the window is the page's Cancel, and that one is not refused`, async () => {
      const defect = DEFECTS.find((candidate) => candidate.name === WINDOW_CLOSE_ONLY);
      assert.ok(defect);
      const { inProcess, other } = await defectRuns(defect, { client: EMBEDDED });
      assert.ok(verdicts(inProcess.report).some((line) => line.endsWith(': nonconforming')));
      assert.equal(other.report.run.exitCode, 0, JSON.stringify(other.report.run.errors));
    });
  });
});
