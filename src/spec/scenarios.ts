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
  tags: string[];
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
        includeGherkinDocument: false,
        includePickles: true,
        newId: IdGenerator.incrementing(),
      },
    );
    for (const envelope of envelopes) {
      if (envelope.parseError) throw new Error(`${uri}: ${envelope.parseError.message}`);
      if (envelope.pickle) {
        scenarios.push({
          name: envelope.pickle.name,
          uri,
          tags: envelope.pickle.tags.map((tag) => tag.name),
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
