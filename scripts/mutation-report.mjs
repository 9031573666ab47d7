#!/usr/bin/env node
// The Markdown for BENCHMARKS.md from a StrykerJS JSON report (mutation-testing-elements schema):
// a line of counts per file, the score, the ignored mutants counted by reason (the words before the
// reason's first colon, as the `// Stryker disable` comments and scripts/stryker-ignorers.mjs write
// them), and every surviving mutant as file:line:column, mutator, original → replacement.
// Usage: node scripts/mutation-report.mjs [reports/mutation/mutation.json]
import { readFile } from 'node:fs/promises';

const file = process.argv[2] ?? 'reports/mutation/mutation.json';
let report;
try {
  report = JSON.parse(await readFile(file, 'utf8'));
} catch (error) {
  console.error(`mutation-report: ${file}: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const score = (c) =>
  c.detected + c.undetected === 0
    ? 'n/a'
    : `${((100 * c.detected) / (c.detected + c.undetected)).toFixed(2)} %`;

const total = { mutants: 0, detected: 0, undetected: 0, ignored: 0, errors: 0 };
const lines = [
  'Per file (killed and timed out count as detected; ignored mutants are left out of the score):',
  '',
];
const survivors = [];
const ignoredBy = new Map();
for (const [name, { source, mutants }] of Object.entries(report.files).sort()) {
  const c = { mutants: mutants.length, detected: 0, undetected: 0, ignored: 0, errors: 0 };
  for (const mutant of mutants) {
    if (DETECTED.has(mutant.status)) c.detected++;
    else if (UNDETECTED.has(mutant.status)) c.undetected++;
    else if (mutant.status === 'Ignored') {
      c.ignored++;
      const reason = (mutant.statusReason ?? 'no reason given').split(':')[0].trim();
      ignoredBy.set(reason, (ignoredBy.get(reason) ?? 0) + 1);
    } else c.errors++;
    if (UNDETECTED.has(mutant.status)) survivors.push({ name, source, mutant });
  }
  for (const key of Object.keys(total)) total[key] += c[key];
  lines.push(
    `- \`${name}\`: ${c.mutants} mutants, ${c.detected} detected, ${c.undetected} survived, ${c.ignored} ignored, ${c.errors} errors: ${score(c)}`,
  );
}
lines.push(
  `- **all**: ${total.mutants} mutants, ${total.detected} detected, ${total.undetected} survived, ${total.ignored} ignored, ${total.errors} errors: **${score(total)}**`,
  '',
  `Ignored mutants by reason (${total.ignored}):`,
  '',
  ...[...ignoredBy].sort((a, b) => b[1] - a[1]).map(([reason, count]) => `- ${reason}: ${count}`),
  '',
  `Surviving mutants (${survivors.length}):`,
  '',
);
for (const { name, source, mutant } of survivors) {
  const { start, end } = mutant.location;
  const original = sourceText(source, start, end).replace(/\s+/g, ' ');
  const shown = (text) => (text.length > 70 ? `${text.slice(0, 67)}…` : text);
  lines.push(
    `- \`${name}:${start.line}:${start.column}\` ${mutant.mutatorName}: \`${shown(original)}\` → \`${shown((mutant.replacement ?? '').replace(/\s+/g, ' '))}\``,
  );
}
console.log(lines.join('\n'));

/** The source between two 1-based line / column positions. */
function sourceText(source, start, end) {
  const all = source.split('\n');
  const from = all.slice(0, start.line - 1).join('\n').length + (start.line > 1 ? 1 : 0) + start.column - 1;
  const to = all.slice(0, end.line - 1).join('\n').length + (end.line > 1 ? 1 : 0) + end.column - 1;
  return source.slice(from, to);
}
