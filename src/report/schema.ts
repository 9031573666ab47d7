import { Ajv2020 } from 'ajv/dist/2020.js';
import { once } from '../once.ts';
import { schemaErrorLines } from '../schema-errors.ts';
import schema from './conformance.schema.json' with { type: 'json' };

const validator = once(() =>
  new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema),
);

export { schema as conformanceSchema };

/** Checks a report against conformance.schema.json; returns one string per violation (empty when valid). */
export function validateReport(report: unknown): string[] {
  const validate = validator();
  if (validate(report)) return [];
  return schemaErrorLines(validate.errors, '(report)');
}
