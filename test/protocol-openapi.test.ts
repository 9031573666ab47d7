/**
 * src/protocol/openapi.yaml, ccdp/1 as OpenAPI 3.1: its component schemas are exactly the JSON
 * Schemas of src/protocol/schemas/ (scripts/ccdp-openapi.ts writes them), every endpoint, parameter
 * and status of docs/driver-protocol.md is in it, and it is a sound OpenAPI 3.1 document.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { COMPONENT_NAMES, OPENAPI_FILE, schemaComponents } from '../scripts/ccdp-openapi.ts';
import { ERROR_STATUS } from '../src/protocol/ccdp.ts';
import { PROTOCOL_SCHEMAS } from '../src/protocol/schema.ts';

interface Response {
  $ref?: string;
  description?: string;
  content?: { 'application/json'?: { schema?: { $ref?: string } } };
}
interface Operation {
  operationId?: string;
  parameters?: { $ref?: string; name?: string; in?: string; required?: boolean }[];
  requestBody?: { content?: { 'application/json'?: { schema?: { $ref?: string } } } };
  responses?: Record<string, Response>;
}
type PathItem = Record<string, Operation> & { parameters?: Operation['parameters'] };
interface OpenApi {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, unknown> };
}

const document = parse(await readFile(OPENAPI_FILE, 'utf8')) as OpenApi;
const protocolDoc = await readFile(new URL('../docs/driver-protocol.md', import.meta.url), 'utf8');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** What a `#/…` JSON pointer names in the document. */
function resolve(ref: string): unknown {
  assert.match(ref, /^#\//, `${ref}: only references into the document`);
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    assert.ok(typeof node === 'object' && node !== null && key in node, `${ref} resolves`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const deref = <T>(value: T & { $ref?: string }): T =>
  value.$ref === undefined ? value : (resolve(value.$ref) as T);
const schemaName = (ref: string | undefined) => ref?.replace('#/components/schemas/', '');

function operations(): [string, string, Operation, PathItem][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(
        ([method, operation]) =>
          [method.toUpperCase(), path, operation as Operation, item] as [string, string, Operation, PathItem],
      ),
  );
}

/** The rows of the Markdown table that follows `heading` in docs/driver-protocol.md, as cells. */
function tableAfter(heading: string): string[][] {
  const start = protocolDoc.indexOf(heading);
  assert.ok(start >= 0, heading);
  const lines = protocolDoc.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  const rows = lines.slice(first, end);
  return rows.slice(2).map((row) =>
    row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

describe('the ccdp/1 OpenAPI document', () => {
  test('its component schemas are the JSON Schemas of src/protocol/schemas/, each file one component', () => {
    assert.deepEqual(document.components.schemas, schemaComponents(), 'run node scripts/ccdp-openapi.ts');
    for (const kind of Object.keys(PROTOCOL_SCHEMAS)) {
      assert.ok(COMPONENT_NAMES[kind as keyof typeof COMPONENT_NAMES] in document.components.schemas, kind);
    }
  });

  test("every endpoint of the docs' table, with its request body, success status and schema", () => {
    const endpoints = tableAfter('## Endpoints');
    assert.equal(endpoints.length, 6);
    const documented = new Set<string>();
    for (const [request, body, success] of endpoints) {
      const [method, path] = (request ?? '').replaceAll('`', '').split(' ') as [string, string];
      const operation = document.paths[path]?.[method.toLowerCase()];
      assert.ok(operation, `${method} ${path} is in the document`);
      documented.add(`${method} ${path}`);
      const status = /`(\d{3})`/.exec(success ?? '')?.[1] ?? '';
      const response = operation.responses?.[status];
      assert.ok(response, `${method} ${path} answers ${status}`);
      const responseSchema = /\[([a-z-]+)\]/.exec(success ?? '')?.[1];
      assert.equal(
        schemaName(deref(response).content?.['application/json']?.schema?.$ref),
        responseSchema && COMPONENT_NAMES[responseSchema as keyof typeof COMPONENT_NAMES],
        `${method} ${path} ${status}`,
      );
      if (success?.includes('Location'))
        assert.ok(deref(response as Response & { headers?: object }).headers, 'Location');
      const requestSchema = /\[([a-z-]+)\]/.exec(body ?? '')?.[1];
      assert.equal(
        schemaName(operation.requestBody?.content?.['application/json']?.schema?.$ref),
        requestSchema && COMPONENT_NAMES[requestSchema as keyof typeof COMPONENT_NAMES],
        `${method} ${path} request body`,
      );
      const query = [...(body ?? '').matchAll(/`([a-z]+)`/g)].map((match) => match[1]);
      const parameters = (operation.parameters ?? [])
        .map(deref)
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
      assert.deepEqual(parameters, query, `${method} ${path} query parameters`);
    }
    assert.deepEqual(
      operations()
        .map(([method, path]) => `${method} ${path}`)
        .sort(),
      [...documented].sort(),
      'nothing the docs do not name',
    );
  });

  test('every error of the docs, with its status: on the operations that give it, or in the description', () => {
    const errors = tableAfter('### Errors');
    assert.deepEqual(
      Object.fromEntries(errors.map(([code, status]) => [code?.replaceAll('`', ''), Number(status)])),
      ERROR_STATUS,
    );
    const described = operations().flatMap(([, , operation]) =>
      Object.entries(operation.responses ?? {}).map(
        ([status, response]) => `${status} ${deref(response).description}`,
      ),
    );
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const onOperation = described.some(
        (line) => line.startsWith(`${status} `) && line.includes(`\`${code}\``),
      );
      assert.ok(
        onOperation || document.info.description.includes(`\`${status} ${code}\``),
        `${status} ${code}`,
      );
    }
  });

  test('a sound OpenAPI 3.1 document: references resolve, path parameters declared, schemas compile', () => {
    assert.match(document.openapi, /^3\.1\.\d+$/);
    assert.ok(document.info.title && document.info.version);
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1] ?? '');
    assert.ok(refs.length > 20);
    for (const ref of refs) resolve(ref);
    const ids = new Set<string>();
    for (const [method, path, operation, item] of operations()) {
      assert.ok(
        operation.operationId && !ids.has(operation.operationId),
        `${method} ${path}: a unique operationId`,
      );
      ids.add(operation.operationId);
      const responses = Object.entries(operation.responses ?? {});
      assert.ok(responses.length > 0, `${method} ${path} has responses`);
      for (const [status, response] of responses) {
        assert.match(status, /^[1-5]\d\d$/, `${method} ${path}`);
        assert.ok(deref(response).description, `${method} ${path} ${status} has a description`);
      }
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(deref);
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        assert.ok(
          parameters.some((p) => p.name === name && p.in === 'path' && p.required === true),
          `${method} ${path}: path parameter ${name}`,
        );
      }
    }
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'https://connector-conformance.local/ccdp/1/openapi', ...document });
    for (const name of Object.keys(document.components.schemas)) {
      const validate = ajv.getSchema(
        `https://connector-conformance.local/ccdp/1/openapi#/components/schemas/${name}`,
      );
      assert.ok(validate, `${name} compiles`);
    }
  });

  test('valid against the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator)', async () => {
    assert.deepEqual(await new Validator().validate(fileURLToPath(OPENAPI_FILE)), { valid: true });
  });
});
