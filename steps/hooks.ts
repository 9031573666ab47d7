import { After, AfterAll, AfterStep, Before, setDefaultTimeout } from '@cucumber/cucumber';
import { ScenarioEvidence, slug } from '../src/report/evidence.ts';
import { ensureSimulatedWorld, releaseWorkerResources } from '../src/runner/worker-resources.ts';
import { PLAN_MEDIA_TYPE } from '../src/verdict.ts';
import { checkPlan } from './check.ts';
import { cleanup } from './interruption.ts';
import { watchInvariants } from './invariants.ts';
import type { ConformanceWorld, RunParameters } from './world.ts';

// Each wait inside a step has its own, shorter timeout that says what was awaited; this one only
// catches a step that hangs for a reason nobody foresaw.
setDefaultTimeout(30_000);

export const REQUIREMENT_TAG = '@req:';

Before(async function (this: ConformanceWorld, { pickle }) {
  this.evidence = new ScenarioEvidence(
    this.parameters.evidence,
    this.parameters.reportDir,
    `${slug(pickle.name)}-${pickle.id.slice(0, 8)}`,
  );
  this.requirements = pickle.tags
    .map((tag) => tag.name)
    .filter((name) => name.startsWith(REQUIREMENT_TAG))
    .map((name) => name.slice(REQUIREMENT_TAG.length));
  this.attach(JSON.stringify(checkPlan(pickle.steps, this.requirements)), PLAN_MEDIA_TYPE);
  const env = await ensureSimulatedWorld(this.parameters.fixturesDir);
  env.resetPolicy();
});

AfterStep(async function (this: ConformanceWorld, { pickleStep, result }) {
  if (this.running && result.status === 'PASSED') watchInvariants(this);
  if (!this.evidence?.enabled) return;
  await this.evidence.afterStep(pickleStep.text, await this.screenshot(), (data, mediaType) =>
    this.attach(data, mediaType),
  );
});

After(
  cleanup(async function (this: ConformanceWorld, { result }) {
    const policy = this.env.policy;
    try {
      const log = await this.clientLog();
      if (log.length > 0) this.attach(log.join('\n'), { mediaType: 'text/plain', fileName: 'client.log' });
      if (policy.requests.length > 0) {
        this.attach(JSON.stringify(policy.requests, null, 2), {
          mediaType: 'application/json',
          fileName: 'policy-api-requests.json',
        });
      }
    } finally {
      await this.dispose(result?.status === 'PASSED');
    }
    const [unhandled] = policy.unhandled;
    if (unhandled) {
      throw new Error(
        `the client called ${unhandled.method} ${unhandled.path}, which is not part of the policy API` +
          (policy.unhandled.length > 1 ? ` (and ${policy.unhandled.length - 1} more unknown calls)` : ''),
      );
    }
    // Violations a step noted and went on past (steps/check.ts noteViolation): the scenario fails.
    const [noted] = this.noted;
    if (noted && result?.status === 'PASSED') throw noted;
  }),
);

AfterAll(async function () {
  if ((this.parameters as Partial<RunParameters>).releaseAtEnd) await releaseWorkerResources();
});
