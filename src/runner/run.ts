/**
 * The public entry point: run the conformance suite against a client, once per target, and write
 * the reports. The command line is a thin layer over `runConformance`.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFECTS } from '../../client/core/defects.ts';
import { BrowserUnavailableError, findChromium } from '../browser/chromium.ts';
import { targetLabel } from '../catalog/applicability.ts';
import { loadCatalog } from '../catalog/load.ts';
import type { Requirement } from '../catalog/types.ts';
import { needsBrowser, parseClientSpec } from '../drivers/index.ts';
import { loadFixtures } from '../fixtures/load.ts';
import { buildReport, errorReport } from '../report/build.ts';
import { TargetCollector } from '../report/collect.ts';
import type { ConformanceReport } from '../report/types.ts';
import { writeReport } from '../report/write.ts';
import { DEFAULT_OPTIONS, PROJECT_ROOT, type RunOptions, SUITE_NAME } from './options.ts';
import { runTarget, type TargetJob } from './target.ts';
import { findVersionTags, targetTagExpression } from './target-tags.ts';
import { releaseWorkerResources } from './worker-resources.ts';
import { type JobHandlers, runInWorkers } from './workers.ts';

/** Bad options: the run cannot start. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface RunOutcome {
  report: ConformanceReport;
  /** Path of conformance.json. */
  reportFile: string;
}

export async function runConformance(partial: Partial<RunOptions> = {}): Promise<RunOutcome> {
  const options: RunOptions = {
    ...DEFAULT_OPTIONS,
    ...partial,
    targets: [...(partial.targets ?? DEFAULT_OPTIONS.targets)],
  };
  const reportDir = path.resolve(options.reportDir);
  const startedAt = new Date();
  const header = {
    suite: { name: SUITE_NAME, version: await suiteVersion() },
    client: clientInfo(options),
    startedAt,
    ...(options.tags ? { tags: options.tags } : {}),
  };
  let catalog: Requirement[] = [];
  try {
    catalog = await loadCatalog(options.catalogFile);
    validateOptions(options);
    await loadFixtures(options.fixturesDir);
  } catch (error) {
    return reportStartupFailure(options, error as Error, catalog);
  }

  await rm(path.join(reportDir, 'targets'), { recursive: true, force: true });
  const versionTags = await findVersionTags(path.join(PROJECT_ROOT, 'features'));
  const { onProgress, targets, catalogFile: _catalogFile, ...targetOptions } = options;
  const jobs: TargetJob[] = targets.map((target) => {
    const targetTags = targetTagExpression(target, versionTags);
    const tags = options.tags ? `(${options.tags}) and (${targetTags})` : targetTags;
    return { options: targetOptions, target, tags, reportDir };
  });
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
  if (options.parallel > 0) {
    await runInWorkers(jobs, options.parallel, handlers);
  } else {
    try {
      for (const job of jobs) {
        try {
          await runTarget(job, (envelope) => handlers.onMessage(job, envelope));
          handlers.onEnd(job);
        } catch (error) {
          handlers.onEnd(job, (error as Error).message);
        }
      }
    } finally {
      await releaseWorkerResources();
    }
  }
  const report = buildReport({ ...header, catalog, targets: collected, finishedAt: new Date(), errors });
  return { report, reportFile: await writeReport(reportDir, report) };
}

/**
 * A run that could not start (bad flags, catalog or fixtures) still leaves a report: every
 * requirement on every target is `error`, with the reason.
 */
export async function reportStartupFailure(
  partial: Partial<RunOptions>,
  error: Error,
  knownCatalog?: Requirement[],
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
    suite: { name: SUITE_NAME, version: await suiteVersion() },
    client: clientInfo(options),
    catalog,
    targets: options.targets,
    startedAt: now,
    finishedAt: now,
    message: error.message,
    ...(options.tags ? { tags: options.tags } : {}),
  });
  return { report, reportFile: await writeReport(path.resolve(options.reportDir), report) };
}

function validateOptions(options: RunOptions): void {
  try {
    parseClientSpec(options.client);
  } catch (error) {
    throw new UsageError(`--client: ${(error as Error).message}`);
  }
  if (options.userAgent === 'browser' || needsBrowser(parseClientSpec(options.client))) {
    if (!findChromium()) throw new UsageError(new BrowserUnavailableError().message);
  }
  if (options.defect !== undefined) {
    if (!['reference', 'ui'].includes(options.client)) {
      throw new UsageError('--defect: only the reference client (reference or ui) has defects');
    }
    if (!DEFECTS.some((defect) => defect.name === options.defect)) {
      throw new UsageError(
        `--defect: unknown defect "${options.defect}"; see \`connector-conformance defects\``,
      );
    }
  }
  if (options.targets.length === 0)
    throw new UsageError('no target to run: give --platform and --client-version');
  if (!Number.isInteger(options.parallel) || options.parallel < 0) {
    throw new UsageError(
      `--parallel: expected a whole number of workers, 0 or more (got ${options.parallel})`,
    );
  }
}

function clientInfo(options: RunOptions): ConformanceReport['client'] {
  const versions = [...new Set(options.targets.map((t) => t.clientVersion))];
  return {
    name: ['reference', 'ui'].includes(options.client)
      ? 'Zscaler Client Connector (reference client)'
      : options.client,
    driver: options.client,
    version: versions.join(', '),
    ...(options.defect ? { defect: options.defect } : {}),
  };
}

async function suiteVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
