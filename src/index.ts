/**
 * connector-conformance: the public API (docs/api.md). What is exported here is what a vendor or a
 * QA team may build on: run the suite from code, write a driver for their own client, and throw the
 * errors that decide a step's verdict. Everything else in the package is machinery and may change.
 */

// Run the suite from code.
export type { Requirement, Target } from './catalog/types.ts';
export { type ConformanceConfig, defineConfig, type RunSettings } from './config/define.ts';
export type { ClientDriverFactory, DriverFactoryContext } from './drivers/module.ts';
// Write a driver: the one interface every client is reached through, in the article's words.
export type {
  ClientAction,
  ClientDriver,
  ClientView,
  SessionOptions,
  TenantView,
  WaitOptions,
  WindowName,
} from './drivers/types.ts';
// What decides a step's verdict, when a driver or a step throws it.
export { ViewNotShown } from './drivers/view-not-shown.ts';
export type { Platform } from './fixtures/types.ts';
export type { EvidenceMode } from './report/evidence-mode.ts';
export type {
  ConformanceReport,
  GateExitCode,
  RequirementResult,
  RequirementStatus,
  ScenarioResult,
  ScenarioVerdict,
} from './report/types.ts';
export { RunInterrupted } from './runner/interruption.ts';
export type { ProgressEvent, RunOptions } from './runner/options.ts';
export { type RunOutcome, runConformance, UsageError } from './runner/run.ts';
export { ClientActionError, ClientProtocolError, Nonconformance } from './verdict.ts';
