/**
 * The ccdp/1 JSON Schemas (src/protocol/schemas/) as the component schemas of the protocol's OpenAPI
 * 3.1 document (src/protocol/openapi.yaml), so that one self-contained file serves a code generator.
 * Each file becomes a component without `$schema` and `$id`, its `$defs` become components of their
 * own, and every `$ref` points into the document. test/protocol-openapi.test.ts checks that the
 * document's components are exactly these; after changing a schema, write them again:
 *
 *   node scripts/ccdp-openapi.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { type MessageKind, PROTOCOL_SCHEMAS } from '../src/protocol/schema.ts';

export const OPENAPI_FILE = new URL('../src/protocol/openapi.yaml', import.meta.url);

/** Schema file (without .schema.json) → component name. */
export const COMPONENT_NAMES: Record<MessageKind, string> = {
  status: 'Status',
  'session-request': 'SessionRequest',
  session: 'Session',
  'view-response': 'ViewResponse',
  'client-view': 'ClientView',
  action: 'Action',
  evidence: 'Evidence',
  error: 'Error',
};

const pascal = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

/** Every schema file and each of its `$defs` as a component, in the files' order. */
export function schemaComponents(): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  for (const [kind, schema] of Object.entries(PROTOCOL_SCHEMAS) as [MessageKind, Record<string, unknown>][]) {
    const { $schema: _, $id: __, $defs, ...rest } = schema;
    components[COMPONENT_NAMES[kind]] = rewriteRefs(rest);
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) {
      components[pascal(name)] = rewriteRefs(definition);
    }
  }
  return components;
}

/** `client-view.schema.json`, `view-response.schema.json#/properties/serial`, `#/$defs/tenant` → into the document. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' ? documentRef(String(inner)) : rewriteRefs(inner),
    ]),
  );
}

function documentRef(ref: string): string {
  const local = /^#\/\$defs\/([a-z-]+)$/.exec(ref);
  if (local) return `#/components/schemas/${pascal(local[1] ?? '')}`;
  const file = /^([a-z-]+)\.schema\.json(?:#(\/.*))?$/.exec(ref);
  const kind = file?.[1] as MessageKind | undefined;
  if (kind === undefined || !(kind in COMPONENT_NAMES))
    throw new Error(`cannot place $ref "${ref}" in the document`);
  return `#/components/schemas/${COMPONENT_NAMES[kind]}${file?.[2] ?? ''}`;
}

if (import.meta.main) {
  const document = parseDocument(await readFile(OPENAPI_FILE, 'utf8'));
  document.setIn(['components', 'schemas'], document.createNode(schemaComponents()));
  await writeFile(OPENAPI_FILE, document.toString({ lineWidth: 0 }));
  process.stdout.write(`${OPENAPI_FILE.pathname}: components.schemas written from src/protocol/schemas/\n`);
}
