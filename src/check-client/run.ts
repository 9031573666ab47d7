/** Runs check-client's checks against one adapter, in order, and ends any session left running. */
import type { Target } from '../catalog/types.ts';
import { sessionPath } from '../protocol/ccdp.ts';
import {
  type CheckContext,
  CheckFailed,
  DEFAULT_TIMING,
  fail,
  NotRun,
  type Outcome,
  type Timing,
} from './check.ts';
import { CHECKS } from './checks.ts';
import { Probe } from './probe.ts';

/** Fixture users (fixtures/organisations/acme.yaml): amelia's app profile lists partner domains. */
export const CHECK_USERS = { username: 'amelia@acme.example', partnerUsername: 'amelia@globex.example' };

export interface CheckClientOptions {
  /** The adapter's origin, e.g. `http://127.0.0.1:PORT`. */
  baseUrl: string;
  actionTimeoutMs: number;
  /** The simulated policy API the session enrols against (bundled fixtures). */
  policyApiUrl: string;
  /** The target the adapter must be, when the vendor says so. */
  expected?: Partial<Target>;
  timing?: Partial<Timing>;
}

export interface CheckResult {
  id: string;
  section: string;
  outcome: Outcome;
  seen: string;
}

export async function runChecks(options: CheckClientOptions): Promise<CheckResult[]> {
  const probe = new Probe(options.baseUrl.replace(/\/+$/, ''), options.actionTimeoutMs);
  const context: CheckContext = {
    probe,
    timing: { ...DEFAULT_TIMING, ...options.timing },
    policyApiUrl: options.policyApiUrl,
    ...CHECK_USERS,
    expected: options.expected ?? {},
  };
  const results: CheckResult[] = [];
  try {
    for (const check of CHECKS) {
      const finding = await check.run(context).catch((error: unknown) => {
        if (error instanceof NotRun) return { outcome: 'skipped' as const, seen: error.message };
        if (error instanceof CheckFailed) return fail(error.message);
        throw error;
      });
      results.push({ id: check.id, section: check.section, ...finding });
    }
  } finally {
    if (context.session !== undefined) {
      await probe.send({ method: 'DELETE', path: sessionPath(context.session.id), expect: { status: 204 } });
    }
    probe.close();
  }
  return results;
}

/** Passed, or passed with a warning. */
export const isOk = (result: CheckResult): boolean =>
  result.outcome === 'passed' || result.outcome === 'warning';

/** 0: every check passed (warnings allowed); 1: one failed or could not run. */
export const exitCode = (results: readonly CheckResult[]): number => (results.every(isOk) ? 0 : 1);
