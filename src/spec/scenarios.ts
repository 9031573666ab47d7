/** The suite's scenarios as Cucumber compiles them (one per Examples row), with their tags. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import parseTagExpression from '@cucumber/tag-expressions';

export interface SpecScenario {
  name: string;
  /** Feature file, relative to the features folder's parent. */
  uri: string;
  /** `uri:LINE` of the scenario, or of its Examples row. */
  location: string;
  tags: string[];
  /** Its steps' texts, in order (without keywords). */
  steps: string[];
}

export async function loadScenarios(featuresDir: string): Promise<SpecScenario[]> {
  const root = path.dirname(featuresDir);
  const entries = await readdir(featuresDir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.feature'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const scenarios: SpecScenario[] = [];
  for (const file of files) {
    const uri = path.relative(root, file);
    const envelopes = generateMessages(
      await readFile(file, 'utf8'),
      uri,
      SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN,
      {
        includeSource: false,
        includeGherkinDocument: true,
        includePickles: true,
        newId: IdGenerator.incrementing(),
      },
    );
    const lines = new Map<string, number>();
    for (const envelope of envelopes) {
      if (envelope.parseError) throw new Error(`${uri}: ${envelope.parseError.message}`);
      for (const child of envelope.gherkinDocument?.feature?.children ?? []) {
        const scenario = child.scenario;
        if (!scenario) continue;
        lines.set(scenario.id, scenario.location.line);
        for (const examples of scenario.examples) {
          for (const row of examples.tableBody) lines.set(row.id, row.location.line);
        }
      }
      if (envelope.pickle) {
        const { pickle } = envelope;
        scenarios.push({
          name: pickle.name,
          uri,
          location: `${uri}:${lines.get(pickle.astNodeIds.at(-1) ?? '') ?? 0}`,
          tags: pickle.tags.map((tag) => tag.name),
          steps: pickle.steps.map((step) => step.text),
        });
      }
    }
  }
  return scenarios;
}

/** Whether a Cucumber tag expression selects a scenario with these tags. */
export function matchesTags(expression: string, tags: readonly string[]): boolean {
  return parseTagExpression(expression).evaluate([...tags]);
}
