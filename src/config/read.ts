/**
 * Finds a config file and reads it into plain data, not yet checked: `.ts`, `.mjs` and `.js` are
 * imported (their default export, or what the function it is returns), `.json` parsed, `.yaml` and
 * `.yml` parsed with their aliases bounded. Every problem is a one-line ConfigError naming the file.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Document, isScalar, visit } from 'yaml';
import { YamlError, yamlData } from '../yaml-data.ts';
import { ConfigError } from './error.ts';

const FORMATS = ['.ts', '.mjs', '.js', '.json', '.yaml', '.yml'] as const;

/** The names a config file is looked for under, in the current directory. */
export const CONFIG_FILE_NAMES: readonly string[] = FORMATS.map(
  (ext) => `connector-conformance.config${ext}`,
);

/** The config file in `dir`, if any; several are refused rather than one picked by a rule to remember. */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  const present: string[] = [];
  for (const name of CONFIG_FILE_NAMES) {
    if ((await stat(path.join(dir, name)).catch(() => undefined))?.isFile()) present.push(name);
  }
  if (present.length > 1) {
    throw new ConfigError(
      `several config files here (${present.join(', ')}): keep one, or choose with --config FILE`,
    );
  }
  return present[0] === undefined ? undefined : path.join(dir, present[0]);
}

/** The file's content as data; `shown` is how messages name the file. */
export async function readConfigFile(file: string, shown: string): Promise<unknown> {
  const ext = path.extname(file);
  if (!(FORMATS as readonly string[]).includes(ext)) {
    throw new ConfigError(`${shown}: not a config file format (expected ${FORMATS.join(', ')})`);
  }
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    const reason = info.code === 'ENOENT' ? 'no such file' : `cannot read it (${info.code ?? info.message})`;
    throw new ConfigError(`${shown}: ${reason}`);
  }
  if (!info.isFile()) throw new ConfigError(`${shown}: not a file`);
  if (ext === '.ts' || ext === '.mjs' || ext === '.js') return importConfig(file, shown, ext);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`${shown}: cannot read it (${error.code ?? error.message})`);
  });
  return ext === '.json' ? parseJson(text, shown) : parseYaml(text, shown);
}

async function importConfig(file: string, shown: string, ext: string): Promise<unknown> {
  if (ext === '.ts' && !process.features.typescript) {
    throw new ConfigError(
      `${shown}: Node.js ${process.versions.node} cannot load a .ts config (that takes type stripping, Node.js 22.18 or later); use a .mjs, .json or .yaml config`,
    );
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING') {
      throw new ConfigError(
        `${shown}: Node.js does not strip types from files under node_modules; use a .mjs, .json or .yaml config there`,
      );
    }
    throw new ConfigError(`${shown}: cannot load it: ${firstLine(error)}`);
  }
  if (!('default' in module)) {
    throw new ConfigError(`${shown}: no default export (write export default defineConfig({ … }))`);
  }
  let config = module.default;
  if (typeof config === 'function') {
    try {
      config = await (config as () => unknown)();
    } catch (error) {
      throw new ConfigError(`${shown}: its config function failed: ${firstLine(error)}`);
    }
  }
  return withoutUndefined(config);
}

/** `tags: process.env.TAGS` with TAGS unset means no tags, as an absent key would. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .map(([key, entry]) => [key, withoutUndefined(entry)]),
  );
}

function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${shown}: invalid JSON: ${firstLine(error)}`);
  }
}

function parseYaml(text: string, shown: string): unknown {
  try {
    return yamlData(text, versionsAsWritten);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw new ConfigError(`${shown}: ${error.message}`);
  }
}

/** A version is text: `clientVersion: 4.10` is 4.10 as written, not the number 4.1. */
function versionsAsWritten(document: Document): void {
  visit(document, {
    Pair(_, pair) {
      const { key, value } = pair;
      if (
        isScalar(key) &&
        key.value === 'clientVersion' &&
        isScalar(value) &&
        typeof value.value === 'number'
      ) {
        value.value = value.source ?? value.value;
      }
    },
  });
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}
