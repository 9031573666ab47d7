/**
 * `connector-conformance merge DIR...`: the report folders of `run --shard i/n` (on one machine or
 * many) as the report folder of one run. The report is rebuilt from the shards' Cucumber messages,
 * exactly as a run builds it, so its verdicts are those of the unsharded run; each target's messages
 * become one stream (merge-streams.ts) from which its Cucumber HTML and JUnit reports are written
 * again, and the shards' evidence is copied beside them.
 */

import { createWriteStream } from 'node:fs';
import { access, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CucumberHtmlStream } from '@cucumber/html-formatter';
import type { Envelope } from '@cucumber/messages';
import { targetLabel } from '../catalog/applicability.ts';
import { loadCatalog } from '../catalog/load.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import { packageVersion } from '../package-layout.ts';
import { buildReport } from '../report/build.ts';
import { TargetCollector } from '../report/collect.ts';
import { openReportFolder } from '../report/folder.ts';
import { JUnitReport } from '../report/junit.ts';
import { mergeMessageStreams, StreamMergeError } from '../report/merge-streams.ts';
import { ReportFileError, readReportFile } from '../report/read.ts';
import { combineRepetitions } from '../report/repeat.ts';
import type { ConformanceReport } from '../report/types.ts';
import { REPORT_FILE_NAME, writeReport } from '../report/write.ts';
import { DEFAULT_OPTIONS } from './options.ts';
import type { RunOutcome } from './run.ts';
import { shardLabel } from './selection.ts';
import { junitSuiteName, targetReportDir } from './target.ts';

/** Shards that cannot be merged: the message names the folder and what is wrong. */
export class MergeError extends Error {
  override name = 'MergeError';
}

interface ShardFolder {
  dir: string;
  report: ConformanceReport;
}

export async function mergeShards(dirs: readonly string[], reportDir: string): Promise<RunOutcome> {
  if (dirs.length === 0) throw new MergeError('merge: give the report folders of the shards');
  const shards: ShardFolder[] = [];
  for (const dir of dirs) {
    try {
      shards.push({ dir, report: (await readReportFile(path.join(dir, REPORT_FILE_NAME))).report });
    } catch (error) {
      if (error instanceof ReportFileError) throw new MergeError(error.message);
      throw error;
    }
  }
  const targets = await checkShards(shards);
  const out = path.resolve(reportDir);
  if (shards.some(({ dir }) => path.resolve(dir) === out)) {
    throw new MergeError(`--report-dir ${reportDir}: is one of the shards' folders; merge into another`);
  }
  const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
  const folder = await openReportFolder(reportDir);
  try {
    const report = await mergeInto(folder.staging, shards, targets, catalog);
    await folder.commit();
    return { report, reportFile: path.join(folder.final, REPORT_FILE_NAME) };
  } catch (error) {
    await folder.discard();
    throw error;
  }
}

async function mergeInto(
  out: string,
  shards: readonly ShardFolder[],
  targets: readonly Target[],
  catalog: Requirement[],
): Promise<ConformanceReport> {
  const [first] = shards as [ShardFolder, ...ShardFolder[]];
  const repeat = first.report.run.repeat ?? 1;

  const repetitions: ConformanceReport[] = [];
  for (let repetition = 1; repetition <= repeat; repetition += 1) {
    const collected: { target: Target; collector: TargetCollector }[] = [];
    for (const target of targets) {
      const collector = new TargetCollector(target);
      const runs: Envelope[][] = [];
      for (const { dir } of shards) {
        const from = targetReportDir(dir, target, repetition);
        const messages = await readMessages(path.join(from, 'messages.ndjson'));
        if (messages === undefined) continue;
        runs.push(messages);
        await copyEvidence(from, targetReportDir(out, target, repetition));
      }
      let stream: Envelope[];
      try {
        stream = mergeMessageStreams(runs);
      } catch (error) {
        if (!(error instanceof StreamMergeError)) throw error;
        throw new MergeError(
          `merge: the shards of ${targetLabel(target)} cannot be merged: ${error.message}`,
        );
      }
      for (const envelope of stream) collector.onMessage(envelope);
      if (stream.length > 0)
        await writeTargetReports(targetReportDir(out, target, repetition), target, stream);
      collected.push({ target, collector });
    }
    repetitions.push(
      buildReport({
        suite: first.report.suite,
        client: {
          ...first.report.client,
          version: [...new Set(targets.map((t) => t.clientVersion))].join(', '),
        },
        catalog,
        startedAt: new Date(
          shards.map(({ report }) => report.run.startedAt).toSorted()[0] ?? first.report.run.startedAt,
        ),
        finishedAt: new Date(
          shards
            .map(({ report }) => report.run.finishedAt)
            .toSorted()
            .at(-1) ?? first.report.run.finishedAt,
        ),
        ...(sameTags(shards) !== undefined ? { tags: sameTags(shards) } : {}),
        targets: collected,
        errors: [...new Set(shards.flatMap(({ report }) => report.run.errors))],
      }),
    );
  }
  const report = repeat > 1 ? combineRepetitions(repetitions) : (repetitions[0] as ConformanceReport);
  await writeReport(out, report, catalog);
  return report;
}

/**
 * Refuses shards of different suites or clients, a shard given twice, a missing one, and a target
 * in two sets of shards. Returns the merged run's targets: each set's, in the order given.
 */
async function checkShards(shards: readonly ShardFolder[]): Promise<Target[]> {
  const version = packageVersion();
  const [first] = shards as [ShardFolder, ...ShardFolder[]];
  const describe = (report: ConformanceReport) =>
    `${report.client.name}, --client ${report.client.driver}, ${report.client.defect ? `--defect ${report.client.defect}` : 'no defect'}`;
  const groups = new Map<string, ShardFolder[]>();
  for (const shard of shards) {
    const { report, dir } = shard;
    const where = path.join(dir, REPORT_FILE_NAME);
    if (report.suite.version !== version) {
      throw new MergeError(
        `${where}: suite version ${report.suite.version}, but this harness is ${version}; merge with the harness that ran the shards`,
      );
    }
    if (describe(report) !== describe(first.report)) {
      throw new MergeError(
        `${where}: another client (${describe(report)}) than ${first.dir}'s (${describe(first.report)})`,
      );
    }
    if ((report.run.repeat ?? 1) !== (first.report.run.repeat ?? 1)) {
      throw new MergeError(
        `${where}: --repeat ${report.run.repeat ?? 1}, but ${first.dir} has ${first.report.run.repeat ?? 1}`,
      );
    }
    if (report.run.shard === undefined) {
      throw new MergeError(
        `${where}: not a shard (no run.shard); merge takes the folders of \`run --shard i/n\``,
      );
    }
    const key = JSON.stringify([report.run.targets, report.run.tags ?? '', report.run.shard.count]);
    groups.set(key, [...(groups.get(key) ?? []), shard]);
  }
  const targets: Target[] = [];
  const owner = new Map<string, string>();
  for (const group of groups.values()) {
    const [head] = group as [ShardFolder, ...ShardFolder[]];
    const count = head.report.run.shard?.count ?? 1;
    const label = head.report.run.targets.map(targetLabel).join(', ');
    for (let index = 1; index <= count; index += 1) {
      const found = group.filter(({ report }) => report.run.shard?.index === index);
      const shard = shardLabel({ index, count });
      if (found.length === 0) throw new MergeError(`merge: shard ${shard} of the run on ${label} is missing`);
      if (found.length > 1) {
        throw new MergeError(
          `merge: ${found.map(({ dir }) => dir).join(' and ')} are both shard ${shard} of the run on ${label}`,
        );
      }
    }
    for (const target of head.report.run.targets) {
      const other = owner.get(targetLabel(target));
      if (other !== undefined) {
        throw new MergeError(
          `merge: ${targetLabel(target)} is in two runs' shards (${other} and ${head.dir})`,
        );
      }
      owner.set(targetLabel(target), head.dir);
      targets.push(target);
    }
  }
  return targets;
}

function sameTags(shards: readonly ShardFolder[]): string | undefined {
  const tags = new Set(shards.map(({ report }) => report.run.tags));
  return tags.size === 1 ? [...tags][0] : undefined;
}

/** A shard's messages of one target, or undefined when that shard ran none of its scenarios. */
async function readMessages(file: string): Promise<Envelope[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MergeError(`${file}: cannot read (${(error as Error).message})`);
  }
  const envelopes: Envelope[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new MergeError(`${file}: line ${index + 1} is not a Cucumber message (JSON)`);
    }
    // An envelope is an object holding one message; null, an array or a number is not one.
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new MergeError(`${file}: line ${index + 1} is not a Cucumber message (a JSON object)`);
    }
    envelopes.push(parsed as Envelope);
  }
  return envelopes;
}

async function copyEvidence(from: string, to: string): Promise<void> {
  const evidence = path.join(from, 'evidence');
  const exists = await access(evidence).then(
    () => true,
    () => false,
  );
  if (exists) await cp(evidence, path.join(to, 'evidence'), { recursive: true });
}

/** The official Cucumber outputs of a target, from its (merged) message stream. */
async function writeTargetReports(dir: string, target: Target, stream: readonly Envelope[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'messages.ndjson'),
    stream.map((envelope) => `${JSON.stringify(envelope)}\n`).join(''),
  );
  const junit = new JUnitReport(junitSuiteName(target));
  for (const envelope of stream) junit.update(envelope);
  await writeFile(path.join(dir, 'junit.xml'), junit.xml());
  const html = new CucumberHtmlStream();
  const written = pipeline(html, createWriteStream(path.join(dir, 'cucumber.html')));
  for (const envelope of stream) html.write(envelope);
  html.end();
  await written;
}
