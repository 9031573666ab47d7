/**
 * A finding as a Gherkin scenario: the shrunk sequence's steps, as run, tagged with the requirement it
 * broke and the target's platform, so that `connector-conformance run FILE` replays it.
 */
import type { Target } from '../catalog/types.ts';
import type { ExploreFinding } from './explore.ts';

export interface ReproducerContext {
  target: Target;
  seed: number;
  /** The --client the finding was made with, and its --defect. */
  client: string;
  defect?: string;
}

/** `<requirement>-<seed>.feature`, or `blocked-<seed>.feature` when no requirement was broken. */
export function reproducerName(finding: ExploreFinding, seed: number): string {
  return `${finding.requirements[0] ?? finding.status}-${seed}.feature`;
}

export function reproducer(finding: ExploreFinding, context: ReproducerContext): string {
  const { target } = context;
  const requirement = finding.requirements[0];
  // Tagged with the requirement only where a check step verifies it: a scenario tagged with a
  // requirement none of its steps checks is an error, also on a conforming client.
  const checked = finding.checks.length > 0 || finding.steps.at(-1)?.keyword === 'Then';
  const tags = [
    ...(requirement && checked ? [`@req:${requirement}`] : []),
    `@platform:${target.platform}`,
    '@explore',
  ];
  const replay = [
    'connector-conformance run <this file>',
    `--client ${context.client}`,
    `--platform ${target.platform}`,
    `--client-version ${target.clientVersion}`,
    ...(context.defect ? [`--defect ${context.defect}`] : []),
  ].join(' ');
  const lines = [
    `# Found by connector-conformance explore --seed ${context.seed} (fast-check path ${finding.path}).`,
    `# Replay: ${replay}`,
    `Feature: Found by explore: ${requirement ?? finding.status} after ${finding.commands.length} actions`,
    `  Broken: ${finding.message.replaceAll('\n', ' ')}`,
    '',
    `  ${tags.join(' ')}`,
    `  Scenario: ${finding.commands.join(', ')}`,
  ];
  let previous: string | undefined;
  const checks = finding.checks.map((text) => ({ keyword: 'Then' as const, text }));
  for (const step of [...finding.steps, ...checks]) {
    lines.push(`    ${step.keyword === previous ? 'And' : step.keyword} ${step.text}`);
    previous = step.keyword;
  }
  return `${lines.join('\n')}\n`;
}
