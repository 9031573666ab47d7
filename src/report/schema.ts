import { Ajv2020 } from 'ajv/dist/2020.js';
import { schemaErrorLines } from '../schema-errors.ts';
import schema from './conformance.schema.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validate = ajv.compile(schema);

export { schema as conformanceSchema };

/** Checks a report against conformance.schema.json; returns one string per violation (empty when valid). */
export function validateReport(report: unknown): string[] {
  if (validate(report)) return [];
  return schemaErrorLines(validate.errors, '(report)');
}
