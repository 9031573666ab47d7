/**
 * Where this package's files are. From the clone the sources run as they are (Node strips their
 * types); installed, the package runs its compiled JavaScript under `dist/` (Node refuses to strip
 * types under node_modules). The data (features, fixtures, package.json) sits at the package root
 * either way; the code (src, steps, client, mocks) at the code root.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when this is the compiled package (`dist/src/package-layout.js`). */
export const COMPILED = import.meta.url.endsWith('.js');

/** The extension of this package's code files: `.ts` in the clone, `.js` compiled. */
export const CODE_EXTENSION = COMPILED ? '.js' : '.ts';

/** The folder holding package.json, features/ and fixtures/. */
export const PACKAGE_ROOT = fileURLToPath(new URL(COMPILED ? '../../' : '../', import.meta.url));

/** The folder holding src/, steps/, client/ and mocks/ as they run. */
export const CODE_ROOT = COMPILED ? path.join(PACKAGE_ROOT, 'dist') : PACKAGE_ROOT;

/**
 * A code module beside `base` (an `import.meta.url`), named without its extension, for what cannot be
 * an import specifier (a worker's entry file, a formatter Cucumber loads by URL).
 */
export function codeModule(name: string, base: string): URL {
  return new URL(`${name}${CODE_EXTENSION}`, base);
}

/** Cucumber's glob of the step files, relative to PACKAGE_ROOT. */
export const STEP_FILES = `${COMPILED ? 'dist/' : ''}steps/**/*${CODE_EXTENSION}`;

/** This package's version, from its package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
