import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, YAMLParseError } from 'yaml';
import type { Requirement } from './types.ts';

export class CatalogError extends Error {
  override name = 'CatalogError';
}

export const DEFAULT_CATALOG = 'features/requirements.yaml';

/** Read, schema-check and cross-check the requirement catalog. Throws CatalogError (one line). */
export async function loadCatalog(file = DEFAULT_CATALOG): Promise<Requirement[]> {
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CatalogError(`${shown}: cannot read the requirement catalog (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    throw new CatalogError(`${shown}:${where} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const schemaFile = path.join(path.dirname(file), 'requirements.schema.json');
  const schema = JSON.parse(await readFile(schemaFile, 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: false }).compile<Requirement[]>(schema);
  if (!validate(data)) {
    const error = validate.errors?.[0];
    const pointer = error?.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : '(root)';
    const allowed = error?.params && 'allowedValues' in error.params ? `: ${error.params.allowedValues}` : '';
    throw new CatalogError(`${shown}: ${pointer} ${error?.message ?? 'is invalid'}${allowed}`);
  }
  const seen = new Set<string>();
  for (const [index, requirement] of data.entries()) {
    if (seen.has(requirement.id)) {
      throw new CatalogError(`${shown}: ${index}.id "${requirement.id}" appears twice`);
    }
    seen.add(requirement.id);
    const clauses = new Set<string>();
    for (const [at, clause] of requirement.clauses.entries()) {
      if (clauses.has(clause.id)) {
        throw new CatalogError(
          `${shown}: ${index}.clauses.${at}.id "${clause.id}" appears twice in ${requirement.id}`,
        );
      }
      clauses.add(clause.id);
    }
  }
  return data;
}
