/**
 * Which scenarios run on which client build. Scenarios (or their Examples) carry
 * `@platform:windows|macos` and optionally `@min-version:X` (X and later) or `@below-version:X`
 * (before X); a target's tag expression keeps those whose tags hold for its platform and version.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from '../catalog/types.ts';
import { compareVersions } from '../version.ts';

const VERSION_TAG = /@(min-version|below-version):(\d+(?:\.\d+)*)/g;

export interface VersionTag {
  tag: string;
  kind: 'min-version' | 'below-version';
  version: string;
}

export async function findVersionTags(featuresDir: string): Promise<VersionTag[]> {
  const found = new Map<string, VersionTag>();
  for (const file of await featureFiles(featuresDir)) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(VERSION_TAG)) {
      const [tag, kind, version] = match as unknown as [string, VersionTag['kind'], string];
      found.set(tag, { tag, kind, version });
    }
  }
  return [...found.values()];
}

export function targetTagExpression(target: Target, versionTags: readonly VersionTag[]): string {
  const excluded = versionTags.filter(({ kind, version }) =>
    kind === 'min-version'
      ? compareVersions(target.clientVersion, version) < 0
      : compareVersions(target.clientVersion, version) >= 0,
  );
  return [`@platform:${target.platform}`, ...excluded.map(({ tag }) => `not ${tag}`)].join(' and ');
}

async function featureFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.feature'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
