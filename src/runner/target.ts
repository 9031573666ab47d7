/**
 * One target's suite run: Cucumber on the features, with the scenarios the target's platform and
 * version select, writing the target's official reports (messages, HTML, JUnit) and handing every
 * message to `onMessage`. Runs in the runner's process or in a worker process (workers.ts).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type ISupportCodeLibrary, loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { targetLabel } from '../catalog/applicability.ts';
import type { Target } from '../catalog/types.ts';
import { targetFolder } from '../report/layout.ts';
import { PROJECT_ROOT, type RunOptions, resolvedAgentAndEvidence, SUITE_NAME } from './options.ts';

/** What a target run needs of the run's options: JSON, so that it can cross to a worker process. */
export type TargetRunOptions = Omit<RunOptions, 'onProgress' | 'targets' | 'catalogFile'>;

export interface TargetJob {
  options: TargetRunOptions;
  target: Target;
  /** The full tag expression: the target's selection and the run's --tags. */
  tags: string;
  /** The run's report folder; the target writes below targets/. */
  reportDir: string;
}

/**
 * Step definitions are ES modules: imported once per process, they register once. Later runs in the
 * same process reuse the library the first run loaded.
 */
let supportLibrary: ISupportCodeLibrary | undefined;

export function targetReportDir(reportDir: string, target: Target): string {
  return path.join(reportDir, targetFolder(target));
}

export async function runTarget(job: TargetJob, onMessage: (envelope: Envelope) => void): Promise<void> {
  const { options, target, tags } = job;
  const outDir = targetReportDir(job.reportDir, target);
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
          freshContext: options.freshContext ?? false,
          fixturesDir: path.resolve(options.fixturesDir),
          ...(options.defect ? { defect: options.defect } : {}),
          ...(options.clientCommand !== undefined ? { clientCommand: options.clientCommand } : {}),
          ...(options.actionTimeoutMs !== undefined ? { actionTimeoutMs: options.actionTimeoutMs } : {}),
        },
      },
    },
    environment,
  );
  const result = await runCucumber(
    supportLibrary ? { ...runConfiguration, support: supportLibrary } : runConfiguration,
    environment,
    onMessage,
  );
  supportLibrary = result.support;
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
