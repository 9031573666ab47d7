/**
 * The CI examples use only the harness's commands, with flags it accepts, in the shape
 * test/shards.test.ts runs: every shard of 1..N (per platform), then merge.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { parseRunArgs } from '../src/cli/args.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';

/** The flags after `connector-conformance run` in a shell command, without a trailing `|| …`. */
function runFlags(command: string): string[] {
  const match = /connector-conformance run (.*?)(\|\||$)/s.exec(command);
  assert.ok(match, `no run command in: ${command}`);
  return (match[1] ?? '').trim().split(/\s+/);
}

/** A GitHub Actions expression as written in the workflow: `${{ name }}`. */
const expression = (name: string) => `\${{ ${name} }}`;

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}

test('.github/workflows/conformance.yml: a shard per matrix cell, 1..N on each platform, then merge', async () => {
  const file = path.join(PACKAGE_ROOT, '.github', 'workflows', 'conformance.yml');
  const workflow = parse(await readFile(file, 'utf8')) as {
    env: { SHARDS: number };
    jobs: Record<string, { strategy?: { matrix: { platform: string[]; shard: number[] } }; steps: Step[] }>;
  };
  const { shard: shardJob, merge } = workflow.jobs;
  assert.ok(shardJob?.strategy && merge);
  const { platform: platforms, shard: shards } = shardJob.strategy.matrix;
  const count = workflow.env.SHARDS;
  assert.deepEqual(
    shards,
    Array.from({ length: count }, (_, i) => i + 1),
  );
  const command = shardJob.steps.find((step) => step.run?.includes('connector-conformance run'))?.run ?? '';
  for (const platform of platforms) {
    for (const shard of shards) {
      const flags = runFlags(
        command
          .replaceAll(expression('matrix.platform'), platform)
          .replaceAll(expression('matrix.shard'), String(shard))
          .replaceAll(expression('env.SHARDS'), String(count)),
      );
      const { options } = parseRunArgs(flags);
      assert.deepEqual(options.shard, { index: shard, count });
      assert.ok(options.targets?.every((target) => target.platform === platform));
    }
  }
  const upload = shardJob.steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
  assert.equal(upload?.with?.name, `shard-${expression('matrix.platform')}-${expression('matrix.shard')}`);
  const mergeCommand = merge.steps.find((step) => step.run?.includes('connector-conformance merge'))?.run;
  assert.equal(
    mergeCommand,
    `npx connector-conformance merge ${platforms.map((p) => `shards/shard-${p}-*`).join(' ')} --report-dir reports`,
  );
});

test('docs/scaling.md: the Indexed Job runs shard index+1 of its completions, the merge Job merges them', async () => {
  const text = await readFile(path.join(PACKAGE_ROOT, 'docs', 'scaling.md'), 'utf8');
  const block = /```yaml\n(.*?)```/s.exec(text)?.[1];
  assert.ok(block, 'a yaml block');
  const [shards, merge] = parseAllDocuments(block).map(
    (document) =>
      document.toJS() as {
        spec: { completions?: number; template: { spec: { containers: { args: string[] }[] } } };
      },
  );
  const completions = shards?.spec.completions ?? 0;
  const shardArgs = shards?.spec.template.spec.containers[0]?.args.join(' ') ?? '';
  for (let index = 0; index < completions; index += 1) {
    const flags = runFlags(shardArgs.replaceAll('$((JOB_COMPLETION_INDEX + 1))', String(index + 1)));
    assert.deepEqual(parseRunArgs(flags).options.shard, { index: index + 1, count: completions });
  }
  assert.match(
    merge?.spec.template.spec.containers[0]?.args.join(' ') ?? '',
    /^npx connector-conformance merge \/reports\/shard-\* --report-dir \/reports\/merged$/,
  );
});
