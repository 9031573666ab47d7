/**
 * The public entry point: run the conformance suite against a client, once per target, and write
 * the reports. The command line is a thin layer over `runConformance`.
 */
import path from 'node:path';
import { DEFECTS } from '../../client/core/defects.ts';
import { BrowserUnavailableError, findChromium } from '../browser/chromium.ts';
import { BUNDLE_FILE_NAME } from '../bundle/manifest.ts';
import { type BundleOutcome, type PreparedBundle, prepareBundle, writeBundle } from '../bundle/write.ts';
import { targetLabel } from '../catalog/applicability.ts';
import { loadCatalog } from '../catalog/load.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import { findLocalImage } from '../drivers/client-container.ts';
import { PORT_PLACEHOLDER } from '../drivers/client-process.ts';
import { type ClientSpec, needsBrowser, parseClientSpec } from '../drivers/index.ts';
import { loadDriverFactory } from '../drivers/module.ts';
import { readStatus } from '../drivers/remote.ts';
import { loadFixtures } from '../fixtures/load.ts';
import { missingDependency } from '../optional-dependency.ts';
import { PACKAGE_ROOT, packageVersion } from '../package-layout.ts';
import { buildReport, errorReport } from '../report/build.ts';
import { TargetCollector } from '../report/collect.ts';
import { openReportFolder, type ReportFolder } from '../report/folder.ts';
import { gateExitCode } from '../report/gate.ts';
import { readReportFile } from '../report/read.ts';
import { combineRepetitions } from '../report/repeat.ts';
import type { ConformanceReport } from '../report/types.ts';
import { REPORT_FILE_NAME, writeReport } from '../report/write.ts';
import { applyGateInputs, type GateInputs, loadGateInputs } from './gate-inputs.ts';
import { causeOf, interrupt, interruption, resetInterruption } from './interruption.ts';
import { DEFAULT_OPTIONS, type RunOptions, resolvedAgentAndEvidence, SUITE_NAME } from './options.ts';
import { inSuite, repeatJobs, reportTargets, resolveFeaturePaths, selectScenarios } from './selection.ts';
import { runTarget, type TargetJob, targetJob } from './target.ts';
import { findVersionTags } from './target-tags.ts';
import { ensureSimulatedWorld, releaseWorkerResources } from './worker-resources.ts';
import { type JobHandlers, runInWorkers } from './workers.ts';

/** The longest --action-timeout accepted, in ms. */
export const MAX_ACTION_TIMEOUT_MS = 600_000;

/** Bad options: the run cannot start. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface RunOutcome {
  report: ConformanceReport;
  /** Path of conformance.json. */
  reportFile: string;
  /** With `bundle`: the certification bundle written. */
  bundle?: BundleOutcome;
}

export async function runConformance(partial: Partial<RunOptions> = {}): Promise<RunOutcome> {
  const options: RunOptions = {
    ...DEFAULT_OPTIONS,
    // A client command alone means the remote driver.
    ...(partial.clientCommand !== undefined ? { client: 'remote' } : {}),
    ...partial,
    targets: [...(partial.targets ?? DEFAULT_OPTIONS.targets)],
  };
  // Checked before anything runs; the run writes into a fresh folder beside it (folder.ts).
  const folder = await openReportFolder(options.reportDir);
  const stop = followSignal(options.signal);
  try {
    return await runInto(folder, options, partial);
  } catch (error) {
    await folder.discard();
    throw error;
  } finally {
    stop();
  }
}

/** This process's run is interrupted when `signal` aborts; returns what stops following it. */
function followSignal(signal: AbortSignal | undefined): () => void {
  resetInterruption();
  if (signal === undefined) return () => {};
  const onAbort = () => interrupt(causeOf(signal.reason));
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

async function runInto(
  folder: ReportFolder,
  options: RunOptions,
  partial: Partial<RunOptions>,
): Promise<RunOutcome> {
  const reportDir = folder.staging;
  const startedAt = new Date();
  let catalog: Requirement[] = [];
  let clientName: string | undefined;
  let gate: GateInputs;
  let bundle: PreparedBundle | undefined;
  let jobs: TargetJob[];
  // This process runs targets (serially, or as the first --parallel lane): the identity providers make their keys (in the thread pool) while the catalog,
  // the features and Cucumber load; the first scenario's Before hook gets this world, or its failure.
  ensureSimulatedWorld(path.resolve(options.fixturesDir)).catch(() => undefined);
  try {
    catalog = await loadCatalog(options.catalogFile);
    const previous =
      options.rerunFailed === undefined ? undefined : (await readReportFile(options.rerunFailed)).report;
    if (previous !== undefined && partial.targets === undefined) options.targets = reportTargets(previous);
    validateOptions(options);
    clientName = await checkRemoteClient(options, partial.targets !== undefined);
    await checkClientImage(options);
    await checkDriverModule(options);
    await loadFixtures(options.fixturesDir);
    gate = await loadGateInputs(options, catalog, options.targets);
    if (options.bundle !== undefined) bundle = await prepareBundle(options.bundle);
    jobs = await targetJobs(options, reportDir, previous, catalog);
  } catch (error) {
    await releaseWorkerResources();
    return reportStartupFailure(options, error as Error, catalog, folder);
  }
  const header = {
    suite: { name: SUITE_NAME, version: packageVersion() },
    client: clientInfo(options, clientName),
    startedAt,
    ...(options.tags ? { tags: options.tags } : {}),
  };

  const { onProgress } = options;
  const errors: string[] = [];
  const collected = jobs.map((job) => ({ target: job.target, collector: new TargetCollector(job.target) }));
  const progress = jobs.map((job) => ({ job, started: 0, scenarios: 0 }));
  const handlers: JobHandlers = {
    onMessage(job, envelope) {
      const index = jobs.indexOf(job);
      collected[index]?.collector.onMessage(envelope);
      const tracked = progress[index];
      if (tracked === undefined) return;
      if (tracked.started === 0) {
        tracked.started = Date.now();
        onProgress?.({ type: 'target-started', target: job.target });
      }
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
        tracked.scenarios += 1;
        onProgress?.({ type: 'scenario-finished', target: job.target, status: 'finished' });
      }
    },
    onEnd(job, error) {
      const tracked = progress[jobs.indexOf(job)];
      if (error !== undefined) {
        errors.push(`${targetLabel(job.target)}: the suite could not run: ${error}`);
      }
      onProgress?.({
        type: 'target-finished',
        target: job.target,
        scenarios: tracked?.scenarios ?? 0,
        durationMs: tracked?.started ? Date.now() - tracked.started : 0,
      });
    },
  };
  // A target none of whose scenarios is selected is not run: its requirements are not-covered.
  const runnable = jobs.filter((job) => job.scenarios === undefined || job.scenarios.length > 0);
  // This process runs targets itself, serially or as the first of the --parallel lanes.
  const runHere = (job: TargetJob) => runTarget(job, (envelope) => handlers.onMessage(job, envelope));
  try {
    if (options.parallel > 1) await runInWorkers(runnable, options.parallel, handlers, runHere);
    else {
      for (const job of runnable) {
        if (interruption() !== undefined) break;
        try {
          await runHere(job);
          handlers.onEnd(job);
        } catch (error) {
          handlers.onEnd(job, (error as Error).message);
        }
      }
    }
  } finally {
    await releaseWorkerResources();
  }
  const finishedAt = new Date();
  const interrupted = interruption();
  const repetitions = Array.from({ length: options.repeat ?? 1 }, (_, index) =>
    buildReport({
      ...header,
      catalog,
      targets: collected.filter((_, job) => (jobs[job]?.repetition ?? 1) === index + 1),
      finishedAt,
      errors,
      ...(interrupted ? { interrupted } : {}),
    }),
  );
  const combined =
    repetitions.length > 1 ? combineRepetitions(repetitions) : (repetitions[0] as ConformanceReport);
  if (options.shard !== undefined) combined.run.shard = { ...options.shard };
  if (options.rerunFailed !== undefined) markRerun(combined, options.rerunFailed);
  // A run that checked nothing passes nothing (unless asked to, as Jest's --passWithNoTests).
  if (combined.summary.scenarios === 0 && combined.run.errors.length === 0 && !options.passWithNoScenarios) {
    combined.run.errors.push(emptySelection(options));
    combined.run.exitCode = gateExitCode(combined);
  }
  const report = applyGateInputs(combined, gate);
  // A run stopped before its end certifies nothing: no bundle.
  if (interrupted !== undefined && bundle !== undefined) {
    report.run.errors.push('no certification bundle was written: the run was interrupted');
  }
  await writeReport(reportDir, report, catalog);
  const written =
    bundle === undefined || interrupted !== undefined
      ? undefined
      : await writeBundle({
          reportDir,
          report,
          prepared: bundle,
          featuresDir: path.join(PACKAGE_ROOT, 'features'),
          fixturesDir: options.fixturesDir,
          usedBrowser: usesBrowser(options),
          harness: { name: 'connector-conformance', version: header.suite.version },
        });
  await folder.commit();
  const reportFile = path.join(folder.final, REPORT_FILE_NAME);
  if (written === undefined) return { report, reportFile };
  return { report, reportFile, bundle: { ...written, file: path.join(folder.final, BUNDLE_FILE_NAME) } };
}

/** One job per target (and repetition), with the scenarios its paths, names, --shard and --rerun-failed select. */
async function targetJobs(
  options: RunOptions,
  reportDir: string,
  previous: ConformanceReport | undefined,
  catalog: readonly Requirement[],
): Promise<TargetJob[]> {
  const versionTags = await findVersionTags(path.join(PACKAGE_ROOT, 'features'));
  const {
    onProgress: _onProgress,
    signal: _signal,
    targets,
    catalogFile: _catalogFile,
    shard,
    repeat,
    rerunFailed,
    paths,
    names,
    ...targetOptions
  } = options;
  const jobs = targets.map((target) => targetJob(targetOptions, target, { catalog, versionTags, reportDir }));
  const rerun =
    previous === undefined || rerunFailed === undefined ? undefined : { report: previous, file: rerunFailed };
  try {
    const resolved = paths ? await resolveFeaturePaths(paths) : undefined;
    const outside = resolved?.find((uri) => !inSuite(uri));
    if (outside !== undefined && options.bundle !== undefined) {
      throw new Error(
        `--bundle: a certification covers the suite's features (features/), and ${outside} is not one of them`,
      );
    }
    const selected = await selectScenarios(jobs, {
      ...(resolved ? { paths: resolved } : {}),
      ...(names ? { names } : {}),
      ...(shard ? { shard } : {}),
      ...(rerun ? { rerun } : {}),
    });
    return repeatJobs(selected, repeat ?? 1);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A rerun reports what it ran again; the cells it did not are not-covered, and say why. */
function markRerun(report: ConformanceReport, file: string): void {
  report.run.rerunOf = file;
  for (const result of report.results) {
    if (result.status === 'not-covered') {
      result.message = `not run again: no scenario of ${result.requirement} failed on ${result.platform} ${result.clientVersion} in ${file}`;
    }
  }
}

/**
 * A run that could not start (bad flags, catalog or fixtures) still leaves a report: every
 * requirement on every target is `error`, with the reason.
 */
export async function reportStartupFailure(
  partial: Partial<RunOptions>,
  error: Error,
  knownCatalog?: Requirement[],
  opened?: ReportFolder,
): Promise<RunOutcome> {
  const options: RunOptions = {
    ...DEFAULT_OPTIONS,
    ...partial,
    targets: [...(partial.targets ?? DEFAULT_OPTIONS.targets)],
  };
  const catalog = knownCatalog?.length
    ? knownCatalog
    : await loadCatalog(options.catalogFile).catch(() => []);
  const now = new Date();
  const report = errorReport({
    suite: { name: SUITE_NAME, version: packageVersion() },
    client: clientInfo(options),
    catalog,
    targets: options.targets,
    startedAt: now,
    finishedAt: now,
    message: error.message,
    ...(options.tags ? { tags: options.tags } : {}),
  });
  if (options.shard !== undefined) report.run.shard = { ...options.shard };
  const folder = opened ?? (await openReportFolder(options.reportDir));
  await writeReport(folder.staging, report, catalog);
  await folder.commit();
  return { report, reportFile: path.join(folder.final, REPORT_FILE_NAME) };
}

/** Why a run that ran no scenario fails: what selected them, and the flag that accepts an empty run. */
function emptySelection(options: RunOptions): string {
  const selection = [
    ...(options.paths ?? []),
    ...(options.names ?? []).map((name) => `--name "${name}"`),
    ...(options.tags ? [`--tags "${options.tags}"`] : []),
    ...(options.shard ? [`--shard ${options.shard.index}/${options.shard.count}`] : []),
    ...(options.rerunFailed ? [`--rerun-failed ${options.rerunFailed}`] : []),
  ];
  const what = selection.length === 0 ? 'the run' : selection.join(' with ');
  return `no scenario ran: ${what} selected none of the suite's scenarios on ${options.targets.map(targetLabel).join(', ')}; a run that checked nothing passes nothing (--pass-with-no-scenarios accepts it)`;
}

function usesBrowser(options: RunOptions): boolean {
  return (
    needsBrowser(parseClientSpec(options.client)) || resolvedAgentAndEvidence(options).userAgent === 'browser'
  );
}

function validateOptions(options: RunOptions): void {
  let spec: ClientSpec;
  try {
    spec = parseClientSpec(options.client);
  } catch (error) {
    throw new UsageError(`--client: ${(error as Error).message}`);
  }
  if (usesBrowser(options)) {
    const missing = missingDependency('playwright-core');
    if (missing !== undefined) throw new UsageError(missing);
    if (!findChromium()) throw new UsageError(new BrowserUnavailableError().message);
  }
  validateRemoteOptions(options, spec);
  if (options.defect !== undefined) {
    if (spec.kind === 'ui-url') {
      throw new UsageError(
        '--defect: only the reference client has defects (--client reference, ui, or remote serving it)',
      );
    }
    if (!DEFECTS.some((defect) => defect.name === options.defect)) {
      throw new UsageError(
        `--defect: unknown defect "${options.defect}"; see \`connector-conformance defects\``,
      );
    }
  }
  if (options.targets.length === 0)
    throw new UsageError('no target to run: give --platform and --client-version');
  for (const name of options.names ?? []) {
    try {
      new RegExp(name);
    } catch (error) {
      throw new UsageError(`--name "${name}": ${(error as Error).message}`);
    }
  }
  const shard = options.shard;
  if (
    shard !== undefined &&
    !(Number.isInteger(shard.index) && shard.index >= 1 && shard.index <= shard.count)
  ) {
    throw new UsageError(
      `--shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/3 (got ${shard.index}/${shard.count})`,
    );
  }
  if (options.repeat !== undefined && !(Number.isInteger(options.repeat) && options.repeat >= 1)) {
    throw new UsageError(`--repeat: expected a number of runs, 1 or more (got ${options.repeat})`);
  }
  if (!Number.isInteger(options.parallel) || options.parallel < 0) {
    throw new UsageError(
      `--parallel: expected a whole number of workers, 0 or more (got ${options.parallel})`,
    );
  }
}

function validateRemoteOptions(options: RunOptions, spec: ClientSpec): void {
  const command = options.clientCommand;
  if (spec.kind === 'remote-command' && command === undefined) {
    throw new UsageError(
      '--client remote: give the command that starts the client (--client-command "CMD {port}"), or use --client remote:URL',
    );
  }
  if (command !== undefined) {
    if (spec.kind !== 'remote-command') {
      throw new UsageError(
        `--client-command: it starts a ccdp/1 client and does not go with --client ${options.client}`,
      );
    }
    if (!command.includes(PORT_PLACEHOLDER)) {
      throw new UsageError(
        `--client-command: the command must contain ${PORT_PLACEHOLDER}, where the harness puts the port the client is to listen on`,
      );
    }
  }
  const timeout = options.actionTimeoutMs;
  if (
    timeout !== undefined &&
    (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_ACTION_TIMEOUT_MS)
  ) {
    throw new UsageError(
      `--action-timeout: expected milliseconds from 1 to ${MAX_ACTION_TIMEOUT_MS} (got ${timeout})`,
    );
  }
  if (spec.kind === 'remote-url' && options.parallel > 1) {
    throw new UsageError(
      `--parallel: a client at ${spec.url} serves one session at a time; use --client-command to start one per worker`,
    );
  }
}

/** A `module:` client's module must load and export a driver factory before the run starts. */
async function checkDriverModule(options: RunOptions): Promise<void> {
  const spec = parseClientSpec(options.client);
  if (spec.kind !== 'module') return;
  try {
    await loadDriverFactory(spec.file);
  } catch (error) {
    throw new UsageError(`--client ${options.client}: ${(error as Error).message}`);
  }
}

/** An `image:` client needs a Docker engine, and the image on this machine (nothing is pulled). */
async function checkClientImage(options: RunOptions): Promise<void> {
  const spec = parseClientSpec(options.client);
  if (spec.kind !== 'remote-image') return;
  const missing = missingDependency('testcontainers');
  if (missing !== undefined) throw new UsageError(missing);
  const image = await findLocalImage(spec.image);
  if (image === 'no-engine') {
    throw new UsageError(
      `--client ${options.client}: no Docker engine answers; start dockerd (or set DOCKER_HOST)`,
    );
  }
  if (image === 'missing') {
    throw new UsageError(
      `--client ${options.client}: the image is not on this machine; build it (scripts/build-image.sh ${spec.image})`,
    );
  }
}

/**
 * A `remote:URL` client must answer its status before the run starts. Without --platform and
 * --client-version the run takes the client's own target; with them, they must be the client's.
 * Returns the client's name, when it told one.
 */
async function checkRemoteClient(options: RunOptions, targetsGiven: boolean): Promise<string | undefined> {
  const spec = parseClientSpec(options.client);
  if (spec.kind !== 'remote-url') return undefined;
  const status = await readStatus(spec.url, options.actionTimeoutMs);
  const own: Target = { platform: status.client.platform, clientVersion: status.client.version };
  if (!targetsGiven) options.targets = [own];
  const other = options.targets.find(
    (target) => target.platform !== own.platform || target.clientVersion !== own.clientVersion,
  );
  if (other !== undefined) {
    throw new UsageError(
      `--client ${options.client}: that client is ${targetLabel(own)}, not ${targetLabel(other)}; run it with --platform ${own.platform} --client-version ${own.clientVersion}, or without them`,
    );
  }
  return status.client.name;
}

function clientInfo(options: RunOptions, remoteName?: string): ConformanceReport['client'] {
  const versions = [...new Set(options.targets.map((t) => t.clientVersion))];
  return {
    name: ['reference', 'ui'].includes(options.client)
      ? 'Zscaler Client Connector (reference client)'
      : (remoteName ?? options.clientCommand ?? options.client),
    driver: options.client,
    version: versions.join(', '),
    ...(options.defect ? { defect: options.defect } : {}),
  };
}
