/**
 * The evidence files of a run, found the way the Cucumber reports find them: each scenario's
 * `text/uri-list` attachments in its target's messages.ndjson, plus the files lying directly in the
 * target's evidence/ folder (a container client's log), which belong to the whole target.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import type { Target } from '../../catalog/types.ts';
import { targetFolder } from '../layout.ts';

export interface TargetEvidence {
  /** Scenario location ("features/x.feature:12") → files, relative to the report folder. */
  scenarios: Map<string, string[]>;
  /** Files of the whole target, relative to the report folder. */
  target: string[];
}

/** Evidence per target folder; a target without messages or evidence has empty lists. */
export async function findEvidence(
  reportDir: string,
  targets: readonly Target[],
): Promise<Map<string, TargetEvidence>> {
  const found = new Map<string, TargetEvidence>();
  for (const target of targets) {
    const folder = targetFolder(target);
    const dir = path.join(reportDir, folder);
    const scenarios = scenarioEvidence(
      await readFile(path.join(dir, 'messages.ndjson'), 'utf8').catch(() => ''),
    );
    const files = await readdir(path.join(dir, 'evidence'), { withFileTypes: true }).catch(() => []);
    found.set(folder, {
      scenarios: new Map(
        [...scenarios].map(([location, list]) => [location, list.map((f) => `${folder}/${f}`)]),
      ),
      target: files
        .filter((entry) => entry.isFile())
        .map((entry) => `${folder}/evidence/${entry.name}`)
        .sort(),
    });
  }
  return found;
}

/** Scenario location → the evidence files its attachments name (relative to the target folder). */
export function scenarioEvidence(ndjson: string): Map<string, string[]> {
  const pickles = new Map<string, string>();
  const testCases = new Map<string, string>();
  const started = new Map<string, string>();
  const links: { startedId: string; files: string[] }[] = [];
  for (const line of ndjson.split('\n')) {
    const envelope = parseLine(line);
    if (envelope === undefined) continue;
    const { pickle, testCase, testCaseStarted, attachment } = envelope;
    if (pickle !== undefined) pickles.set(pickle.id, `${pickle.uri}:${pickle.location?.line ?? 0}`);
    if (testCase !== undefined) testCases.set(testCase.id, testCase.pickleId);
    if (testCaseStarted !== undefined) started.set(testCaseStarted.id, testCaseStarted.testCaseId);
    if (attachment?.mediaType === 'text/uri-list' && attachment.testCaseStartedId !== undefined) {
      const body =
        attachment.contentEncoding === 'BASE64'
          ? Buffer.from(attachment.body, 'base64').toString('utf8')
          : attachment.body;
      links.push({
        startedId: attachment.testCaseStartedId,
        files: body.split(/\r?\n/).filter(isEvidencePath),
      });
    }
  }
  const byLocation = new Map<string, string[]>();
  for (const { startedId, files } of links) {
    const pickleId = testCases.get(started.get(startedId) ?? '');
    const location = pickleId === undefined ? undefined : pickles.get(pickleId);
    if (location === undefined || files.length === 0) continue;
    byLocation.set(location, [...new Set([...(byLocation.get(location) ?? []), ...files])]);
  }
  return byLocation;
}

function parseLine(line: string): Envelope | undefined {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as Envelope;
  } catch {
    return undefined;
  }
}

/** A link the page may follow: a relative path inside the target's evidence folder. */
function isEvidencePath(file: string): boolean {
  return /^evidence\/[^\\]+$/.test(file) && !file.split('/').includes('..');
}
