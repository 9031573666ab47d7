/**
 * Checks a config file's data against config.schema.json, then the values a schema cannot judge
 * with the parsers `run` itself uses (client specs, tag expressions, defect names). The first problem
 * is a one-line ConfigError: the file, the key path (`profiles.ci.parallel`), what was expected and
 * what was found.
 */
import parseTagExpression from '@cucumber/tag-expressions';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { DEFECTS } from '../../client/core/defects.ts';
import { parseClientSpec } from '../drivers/index.ts';
import { once } from '../once.ts';
import { propertyPath } from '../schema-errors.ts';
import schema from './config.schema.json' with { type: 'json' };
import type { ConformanceConfig, RunSettings } from './define.ts';
import { ConfigError } from './error.ts';

type JsonSchema = { [key: string]: unknown };

const validator = once(() =>
  new Ajv2020({
    allErrors: false,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
  }).compile<ConformanceConfig>(schema),
);

/** The data as a config; throws ConfigError naming `shown` and the first bad key. */
export function validateConfig(data: unknown, shown: string): ConformanceConfig {
  const validate = validator();
  if (!validate(data)) {
    const error = validate.errors?.[0];
    throw new ConfigError(
      `${shown}: ${error === undefined ? 'does not match the config schema' : describeError(error)}`,
    );
  }
  checkSettings(data, '', shown);
  for (const [name, settings] of Object.entries(data.profiles ?? {})) {
    checkSettings(settings, `profiles.${name}.`, shown);
  }
  return data;
}

function checkSettings(settings: RunSettings, prefix: string, shown: string): void {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(`${shown}: ${prefix}${key}: ${problem}`);
  };
  if (settings.client !== undefined) {
    try {
      parseClientSpec(settings.client);
    } catch (error) {
      fail('client', (error as Error).message);
    }
  }
  if (settings.tags !== undefined) {
    try {
      parseTagExpression(settings.tags);
    } catch (error) {
      fail('tags', (error as Error).message);
    }
  }
  if (settings.defect !== undefined && !DEFECTS.some((defect) => defect.name === settings.defect)) {
    fail('defect', `unknown defect "${settings.defect}"; see \`connector-conformance defects\``);
  }
  if (
    settings.targets !== undefined &&
    (settings.platform !== undefined || settings.clientVersion !== undefined)
  ) {
    fail('targets', 'give either targets or platform and clientVersion, not both');
  }
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as JsonSchema;
  const unknown = params.additionalProperty ?? params.unevaluatedProperty;
  if (unknown !== undefined) {
    const keys = Object.keys(propertiesOf(parent)).filter((key) => key !== '$schema');
    return `${propertyPath(error.instancePath, String(unknown))}: unknown key (expected one of ${keys.join(', ')})`;
  }
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    const field = propertiesOf(parent)[missing];
    const wanted = field === undefined ? '' : ` (expected ${expectation(field)})`;
    return `${propertyPath(error.instancePath, missing)}: missing${wanted}`;
  }
  const path = propertyPath(error.instancePath);
  const found = describeValue(error.data, error.keyword === 'type');
  const problem =
    error.keyword === 'uniqueItems'
      ? `lists the same target twice (items ${String(params.j)} and ${String(params.i)})`
      : `expected ${expectation(parent)} (got ${found})`;
  return path === '' ? `the file must be ${expectation(parent)} (got ${found})` : `${path}: ${problem}`;
}

/** A schema's properties, with those of the definitions it refers to. */
function propertiesOf(subschema: JsonSchema): Record<string, JsonSchema> {
  const own = (subschema.properties ?? {}) as Record<string, JsonSchema>;
  const ref = typeof subschema.$ref === 'string' ? propertiesOf(resolveRef(subschema.$ref)) : {};
  return { ...ref, ...own };
}

function resolveRef(ref: string): JsonSchema {
  let node: unknown = schema;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as JsonSchema)[part];
  return node as JsonSchema;
}

/** What a schema accepts, in words: "an integer from 0 to 16", "http or browser". */
function expectation(subschema: JsonSchema): string {
  const target = typeof subschema.$ref === 'string' ? resolveRef(subschema.$ref) : subschema;
  if (typeof target.description === 'string') return target.description;
  if (Array.isArray(target.enum)) return listed(target.enum.map(String));
  switch (target.type) {
    case 'integer': {
      const { minimum, maximum } = target;
      if (typeof maximum === 'number') return `an integer from ${String(minimum)} to ${maximum}`;
      return `an integer of at least ${String(minimum)}`;
    }
    case 'string':
      return target.minLength === undefined ? 'a string' : 'a non-empty string';
    case 'boolean':
      return 'true or false';
    default:
      return 'a mapping';
  }
}

function listed(values: string[]): string {
  return values.length < 2 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

function describeValue(value: unknown, withType: boolean): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value) ?? String(value);
  return withType ? `${text}, ${typeof value === 'string' ? 'a string' : `a ${typeof value}`}` : text;
}
