/**
 * The public entry point: run the conformance suite against a client, once per target, and write
 * the reports. The command line is a thin layer over `runConformance`.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type ISupportCodeLibrary, loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { DEFECTS } from '../../client/core/defects.ts';
import { BrowserUnavailableError, findChromium } from '../browser/chromium.ts';
import { targetLabel } from '../catalog/applicability.ts';
import { loadCatalog } from '../catalog/load.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import { needsBrowser, parseClientSpec } from '../drivers/index.ts';
import { loadFixtures } from '../fixtures/load.ts';
import { buildReport, errorReport } from '../report/build.ts';
import { TargetCollector } from '../report/collect.ts';
import type { ConformanceReport } from '../report/types.ts';
import { writeReport } from '../report/write.ts';
import {
  DEFAULT_OPTIONS,
  PROJECT_ROOT,
  type RunOptions,
  resolvedAgentAndEvidence,
  SUITE_NAME,
} from './options.ts';
import { findVersionTags, targetTagExpression } from './target-tags.ts';

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
  const errors: string[] = [];
  const collected: { target: Target; collector: TargetCollector }[] = [];
  for (const target of options.targets) {
    const collector = new TargetCollector(target);
    collected.push({ target, collector });
    const targetTags = targetTagExpression(target, versionTags);
    const tags = options.tags ? `(${options.tags}) and (${targetTags})` : targetTags;
    try {
      await runTarget({ options, target, tags, reportDir, collector });
    } catch (error) {
      errors.push(`${targetLabel(target)}: the suite could not run: ${(error as Error).message}`);
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

interface TargetRun {
  options: RunOptions;
  target: Target;
  tags: string;
  reportDir: string;
  collector: TargetCollector;
}

/**
 * Step definitions are ES modules: imported once per process, they register once. Later runs in the
 * same process reuse the library the first run loaded.
 */
let supportLibrary: ISupportCodeLibrary | undefined;

async function runTarget({ options, target, tags, reportDir, collector }: TargetRun): Promise<void> {
  const outDir = path.join(reportDir, 'targets', `${target.platform}-${target.clientVersion}`);
  await mkdir(outDir, { recursive: true });
  const environment = { cwd: PROJECT_ROOT, stdout: discard(), stderr: process.stderr, env: process.env };
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: ['features/**/*.feature'],
        import: ['steps/**/*.ts'],
        tags,
        strict: true,
        parallel: options.parallel,
        format: [
          `message:${path.join(outDir, 'messages.ndjson')}`,
          `html:${path.join(outDir, 'cucumber.html')}`,
          `junit:${path.join(outDir, 'junit.xml')}`,
        ],
        formatOptions: { junit: { suiteName: `${SUITE_NAME} (${targetLabel(target)})` } },
        worldParameters: {
          platform: target.platform,
          clientVersion: target.clientVersion,
          client: options.client,
          ...resolvedAgentAndEvidence(options),
          reportDir: outDir,
          fixturesDir: path.resolve(options.fixturesDir),
          ...(options.defect ? { defect: options.defect } : {}),
        },
      },
    },
    environment,
  );
  const started = Date.now();
  let scenarios = 0;
  options.onProgress?.({ type: 'target-started', target });
  const onMessage = (envelope: Envelope) => {
    collector.onMessage(envelope);
    if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      scenarios += 1;
      options.onProgress?.({ type: 'scenario-finished', target, status: 'finished' });
    }
  };
  const result = await runCucumber(
    supportLibrary ? { ...runConfiguration, support: supportLibrary } : runConfiguration,
    environment,
    onMessage,
  );
  supportLibrary = result.support;
  options.onProgress?.({ type: 'target-finished', target, scenarios, durationMs: Date.now() - started });
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

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
