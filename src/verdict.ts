/**
 * How a failed step is judged. The report reads these from the Cucumber message stream by
 * exception type name, so the class names are part of the report's contract.
 */

/** A check of a documented or inferred behaviour failed: the client does not conform. */
export class Nonconformance extends Error {
  override name = 'Nonconformance';
  readonly requirements: string[];
  constructor(requirements: string[], message: string) {
    super(message);
    this.requirements = requirements;
  }
}

/**
 * The client did not let the flow reach the behaviour under test (a control missing, a setup step
 * that could not be completed). What the scenario checks is "blocked", not judged.
 */
export class ClientActionError extends Error {
  override name = 'ClientActionError';
}

/** Media type of the attachment a check step emits, whether it passes or fails. */
export const CHECK_MEDIA_TYPE = 'application/vnd.connector-conformance.check+json';

export interface CheckRecord {
  requirements: string[];
  outcome: 'passed' | 'failed';
  /** The behaviour checked, in the article's words. */
  expectation: string;
  /** What the client did, when the check failed. */
  actual?: string;
}

/**
 * Media type of the record the Before hook attaches to every scenario: which of its steps are
 * checks, and of which requirements, so that the report knows what a scenario that stopped had not
 * yet checked.
 */
export const PLAN_MEDIA_TYPE = 'application/vnd.connector-conformance.plan+json';

export interface PlanRecord {
  /** The scenario's check steps, in step order. */
  checks: PlannedCheck[];
}

export interface PlannedCheck {
  /**
   * The step's index among the pickle's steps, 0-based. Not its id: a merge of shards maps the ids
   * of the messages onto one run's, but never looks inside an attachment's body.
   */
  step: number;
  /** The requirements the check would cover in this scenario. */
  requirements: string[];
}

/**
 * The client under test broke the driver protocol (docs/driver-protocol.md): an answer off the
 * schema, no answer in time, a refused or dropped connection, a client process that exited. It says
 * nothing about conformance: the scenario is in error, never nonconforming or blocked.
 */
export class ClientProtocolError extends Error {
  override name = 'ClientProtocolError';
}
