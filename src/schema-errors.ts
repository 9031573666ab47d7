import type { ErrorObject } from 'ajv';

/** Ajv's errors as one line each: where, what, and the offending property or the allowed values. */
export function schemaErrorLines(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath === '' ? root : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties' && 'additionalProperty' in error.params
        ? ` (${String(error.params.additionalProperty)})`
        : error.keyword === 'enum' && 'allowedValues' in error.params
          ? ` (${JSON.stringify(error.params.allowedValues)})`
          : '';
    return `${where} ${error.message ?? error.keyword}${extra}`;
  });
}

/** A JSON pointer of Ajv's (and a child key) as a person reads it: `/a/b/1` → `a.b[1]`. */
export function propertyPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (child !== undefined) parts.push(child);
  let path = '';
  for (const raw of parts) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(part) ? `[${part}]` : path === '' ? part : `.${part}`;
  }
  return path;
}
