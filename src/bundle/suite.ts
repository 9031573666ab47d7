/**
 * The suite's identity: SHA-256 digests of its features, its requirement catalog and its fixtures,
 * each over the sorted relative paths and contents of its files, and one over the three. A certifier
 * compares it with the digests published for each suite version (suite-versions.json).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { filesUnder } from './files.ts';
import knownVersions from './suite-versions.json' with { type: 'json' };

export interface SuiteDigest {
  sha256: string;
  parts: { features: string; catalog: string; fixtures: string };
}

/** The catalog's files in features/: the rest of the folder is the features. */
const CATALOG_FILES = new Set(['requirements.yaml', 'requirements.schema.json']);

/** SHA-256 over each file's relative path, size and bytes, in path order. */
async function digest(dir: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    const data = await readFile(path.join(dir, file));
    hash.update(`${file}\0${data.length}\0`);
    hash.update(data);
  }
  return hash.digest('hex');
}

export async function suiteDigest(featuresDir: string, fixturesDir: string): Promise<SuiteDigest> {
  const features = await filesUnder(featuresDir);
  const parts = {
    features: await digest(
      featuresDir,
      features.filter((file) => !CATALOG_FILES.has(file)),
    ),
    catalog: await digest(
      featuresDir,
      features.filter((file) => CATALOG_FILES.has(file)),
    ),
    fixtures: await digest(fixturesDir, await filesUnder(fixturesDir)),
  };
  const sha256 = createHash('sha256')
    .update(`features ${parts.features}\ncatalog ${parts.catalog}\nfixtures ${parts.fixtures}\n`)
    .digest('hex');
  return { sha256, parts };
}

/** The published digest of each suite version. */
export const KNOWN_SUITE_VERSIONS: Readonly<Record<string, string>> = knownVersions;

/** Which suite version has this digest, if any. */
export function suiteVersionOf(sha256: string): string | undefined {
  return Object.entries(KNOWN_SUITE_VERSIONS).find(([, known]) => known === sha256)?.[0];
}
