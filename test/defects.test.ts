/**
 * The suite catches broken clients: with each of the reference client's defects switched on, the
 * defect's requirement does not conform, and nothing else is flagged but what the defect declares
 * it necessarily breaks (nonconforming) or makes unverifiable (blocked).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import { DEFECTS, type DefectName, SCRIPTED_DEFECTS } from '../client/core/defects.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import type { ConformanceReport } from '../src/report/types.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import { runConformance } from '../src/runner/run.ts';

const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);

const runs = new Map<string, Promise<{ report: ConformanceReport; reportDir: string }>>();

/** The suite's run against the reference client with `defect` on, once per defect. */
function runWith(defect: DefectName): Promise<{ report: ConformanceReport; reportDir: string }> {
  let run = runs.get(defect);
  if (run === undefined) {
    run = mkdtemp(path.join(tmpdir(), `defect-${defect}-`)).then(async (reportDir) => ({
      report: (await runConformance({ reportDir, defect })).report,
      reportDir,
    }));
    runs.set(defect, run);
  }
  return run;
}

const reportWith = async (defect: DefectName) => (await runWith(defect)).report;

/**
 * Every step that acts on the client, and defects that misbehave there: each one's run is judged
 * below (its requirement nonconforming, nothing in error), so a client misbehaving at any step is
 * classified by the rule of docs/architecture.md ("Whose fault is it?"). The enrolment step is the
 * exception: a client that cannot start breaks the driver protocol, an error (test/remote-run.test.ts).
 */
const MISBEHAVING_AT: Record<string, readonly DefectName[]> = {
  'Zscaler Client Connector for {platform} is enrolled as {string}': [],
  'I open Zscaler Client Connector and click Private Access': ['private-access-does-not-open'],
  '^I click (Private Access|Add Partner Tenant|Submit|Connect|Close|Cancel)$': [
    'add-partner-link-inert',
    'username-form-without-submit',
    'selection-without-connect',
    'selection-skips-username',
    'connect-uses-first-option',
    'partner-forgotten-on-close',
    'partner-refusal-not-shown',
    'reopen-shows-stale-zpa',
    'partner-refusal-remembered',
    'other-cloud-partner-not-found',
  ],
  'I click Turn On for the main tenant': ['turn-on-main-leaves-partner-on', 'turn-on-main-not-requested'],
  'I click Turn Off for the partner tenant {string}': ['turn-off-ignored'],
  'I click Turn On for the partner tenant {string}': ['partner-turn-on-ignored'],
  'I enter {string} as my username for the partner tenant': ['selection-skips-username'],
  'I select the partner tenant {string}': ['partner-domain-not-enforced'],
  'I close the authentication window': ['main-off-after-failed-sign-in', 'retry-after-closed-window-refused'],
  'I restart Zscaler Client Connector': ['partner-not-saved', 'restart-reconnects-main'],
  'I add the partner tenant {string} as {string}': [
    'zia-only-refuses-partner-login',
    'zia-only-partner-zpa-off',
    'authorization-without-pkce',
    'primary-tenant-not-sent',
  ],
  'I have added the partner tenant {string} as {string}': [
    'authorization-without-pkce',
    'redirect-uri-not-registered',
    'authorization-without-state',
    'opens-own-idp',
    'tunnels-overlap-while-switching',
  ],
  // The arrangement must turn the main tenant off and the partner on; the defect is then reported
  // on EX-PARTNER-OFF-MAIN alone.
  'ZPA is on for the partner tenant {string} only': ['partner-login-keeps-main-on'],
  'ZPA is on for the main tenant only': ['turn-off-keeps-tunnel'],
  'I enter my credentials for the partner tenant and log in': [
    'main-window-after-sign-in',
    'enrolment-refusal-not-shown',
    'partner-login-keeps-main-on',
    'id-token-nonce-not-checked',
    'id-token-refusal-not-shown',
  ],
  'I enter a wrong password for the partner tenant and log in': [
    'main-off-after-failed-sign-in',
    'opens-own-idp',
  ],
  'I cancel the sign-in on the identity provider page': ['main-off-after-failed-sign-in', 'opens-own-idp'],
  "^an attacker sends the client's loopback listener a callback (with a wrong state|without state|with the iss of another identity provider|with a code issued to another client)$":
    ['callback-state-not-checked', 'callback-iss-not-checked', 'token-error-not-shown'],
};

test('every step that acts on the client has a defect that misbehaves there', async () => {
  // The step definitions as the run's own message stream declares them.
  const { reportDir } = await runWith('private-access-does-not-open');
  const messages = await readFile(path.join(reportDir, 'targets', 'macos-4.7', 'messages.ndjson'), 'utf8');
  const acting = messages
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as Envelope).stepDefinition)
    .filter((step) => /(^|\/)(client|sign-in)\.steps\.ts$/.test(step?.sourceReference.uri ?? ''))
    .map((step) => step?.pattern.source ?? '');
  assert.ok(acting.length >= 15, `only ${acting.length} acting steps found`);
  assert.deepEqual(acting.toSorted(), Object.keys(MISBEHAVING_AT).toSorted());
});

test('there is at least one defect per requirement', () => {
  for (const requirement of catalog) {
    assert.ok(
      DEFECTS.some((defect) => defect.requirement === requirement.id),
      `no defect breaks ${requirement.id}`,
    );
  }
});

describe('each defect is reported on its requirement', () => {
  for (const defect of SCRIPTED_DEFECTS) {
    test(`${defect.name} → ${defect.requirement}`, async () => {
      const report = await reportWith(defect.name as DefectName);
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

describe('the faults of issue 9, each on its requirement', () => {
  const cells = async (defect: DefectName, requirement: string) =>
    (await reportWith(defect)).results.filter((r) => r.requirement === requirement);

  test('an authorization request without PKCE: IDP-PARTNER, with what the identity provider answered', async () => {
    const report = await reportWith('authorization-without-pkce');
    assert.equal(report.run.exitCode, 1);
    for (const cell of await cells('authorization-without-pkce', 'IDP-PARTNER')) {
      assert.equal(cell.status, 'nonconforming');
      assert.match(
        cell.message ?? '',
        /^actual: the identity provider refused the client's authorization request: it redirected back to http:\/\/127\.0\.0\.1:\d+\/oauth\/callback with error=invalid_request \(.*PKCE.*\)/,
      );
    }
  });

  test('a redirect URI the identity provider does not accept: IDP-PARTNER, quoting its error page', async () => {
    for (const cell of await cells('redirect-uri-not-registered', 'IDP-PARTNER')) {
      assert.equal(cell.status, 'nonconforming');
      assert.match(cell.message ?? '', /it answered 400: redirect_uri did not match/);
    }
  });

  test('a client that skips the username step: AT-SELECT, and what the flow had still to check is not conforms', async () => {
    const report = await reportWith('selection-skips-username');
    assert.equal(report.run.exitCode, 1);
    for (const cell of await cells('selection-skips-username', 'AT-SELECT')) {
      if (cell.status === 'not-applicable') continue;
      assert.equal(cell.status, 'nonconforming');
    }
    // PRE-DOMAIN's scenario passed its first PRE-DOMAIN check, then could not enter the username.
    const domain = (await cells('selection-skips-username', 'PRE-DOMAIN')).filter(
      (c) => c.status !== 'not-applicable',
    );
    assert.ok(domain.length > 0);
    for (const cell of domain) assert.equal(cell.status, 'blocked', cell.message);
  });

  test('two tunnels while a Given arranges the state: EX-ONE-ACTIVE at that step, not blocked', async () => {
    for (const cell of await cells('turn-off-keeps-tunnel', 'EX-ONE-ACTIVE')) {
      assert.equal(cell.status, 'nonconforming');
      const failed = cell.scenarios.find((scenario) => scenario.verdict === 'failed');
      assert.equal(failed?.step, 'And ZPA is on for the main tenant only');
    }
    const report = await reportWith('turn-off-keeps-tunnel');
    assert.deepEqual(
      report.results.filter((r) => r.status === 'blocked'),
      [],
    );
  });
});

describe('invariants watched in every scenario (issue 10)', () => {
  test('two tunnels after a restart: EX-ONE-ACTIVE at the restart, though no EX-ONE-ACTIVE scenario restarts', async () => {
    const report = await reportWith('restart-reconnects-main');
    const cells = report.results.filter((r) => r.requirement === 'EX-ONE-ACTIVE');
    for (const cell of cells) {
      assert.equal(cell.status, 'nonconforming');
      const failed = cell.scenarios.filter((scenario) => scenario.verdict === 'failed');
      // The scenarios that restart: PERSIST-RESTART's, and MULTI-PARTNER's with two partners.
      assert.deepEqual(
        failed.map((scenario) => scenario.step),
        failed.map(() => 'When I restart Zscaler Client Connector'),
      );
      assert.ok(
        failed.some((scenario) => scenario.location.startsWith('features/shared/persistence.feature:')),
      );
      assert.match(
        cell.message ?? '',
        /^actual: the client asked for tunnel tenant-acme on while tenant-acme and tenant-globex were on/,
      );
    }
    // The restart scenario's own requirement still conforms: one defect, one red cell per target.
    assert.ok(
      report.results.filter((r) => r.requirement === 'PERSIST-RESTART').every((r) => r.status === 'conforms'),
    );
  });
});
