/**
 * ccdp/1: every schema is a valid draft 2020-12 schema, and every answer of the reference client's
 * server matches the schema of its message, errors included.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { referenceClientHandler, serveCcdp } from '../client/protocol/server.ts';
import type { ClientView } from '../src/drivers/types.ts';
import { ERROR_CODES, ERROR_STATUS, type SessionResponse, type ViewResponse } from '../src/protocol/ccdp.ts';
import { type MessageKind, PROTOCOL_SCHEMAS, validateMessage } from '../src/protocol/schema.ts';
import { request, type StubbedServer, serveStubbedClient, sessionRequest } from './support/ccdp.ts';
import { GLOBEX_USER, redirectBack, StubPolicyApi, stubSignIn } from './support/reference-client-stubs.ts';

const SCHEMA_DIR = fileURLToPath(new URL('../src/protocol/schemas/', import.meta.url));

describe('the ccdp/1 schemas', () => {
  test('each file is a draft 2020-12 schema with its own $id, valid against the meta-schema', async () => {
    const files = (await readdir(SCHEMA_DIR)).filter((file) => file.endsWith('.schema.json')).sort();
    assert.ok(files.length >= 8, files.join(', '));
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    const schemas = await Promise.all(
      files.map(async (file) => JSON.parse(await readFile(path.join(SCHEMA_DIR, file), 'utf8'))),
    );
    for (const [index, schema] of schemas.entries()) {
      const file = files[index] ?? '';
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', file);
      assert.ok(String(schema.$id).endsWith(`/ccdp/1/${file}`), `${file}: $id ${schema.$id}`);
      assert.equal(ajv.validateSchema(schema), true, `${file}: ${ajv.errorsText(ajv.errors)}`);
      ajv.addSchema(schema);
    }
    for (const schema of schemas) assert.ok(ajv.getSchema(schema.$id), `${schema.$id} compiles`);
    // Every file is one the harness validates with, and the other way round.
    assert.deepEqual(
      Object.values(PROTOCOL_SCHEMAS)
        .map((schema) => schema.$id.split('/').pop())
        .sort(),
      files,
    );
  });

  const rejected: [MessageKind, unknown, RegExp][] = [
    ['status', { protocol: 'ccdp/2', client: {}, capabilities: { defects: [] }, session: null }, /protocol/],
    [
      'session-request',
      { platform: 'linux', clientVersion: '4.7', policyApiUrl: 'x', username: 'a' },
      /platform/,
    ],
    ['action', { type: 'click' }, /control/],
    ['action', { type: 'press', control: 'Submit' }, /type/],
    ['view-response', { serial: -1, idle: true, view: {} }, /serial/],
    ['client-view', { window: 'main', title: 'x', tenants: [{ name: 'A', role: 'owner' }] }, /role/],
    ['error', { code: 'OOPS', message: 'x' }, /code/],
    ['evidence', { log: [1] }, /log\/0/],
  ];
  for (const [kind, value, where] of rejected) {
    test(`${kind} refuses ${JSON.stringify(value).slice(0, 60)}`, () => {
      const problems = validateMessage(kind, value);
      assert.ok(
        problems.some((problem) => where.test(problem)),
        problems.join('; ') || 'accepted',
      );
    });
  }
});

describe('the reference client over ccdp/1', () => {
  let server: StubbedServer;
  const servers: StubbedServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  async function call(
    kind: MessageKind | undefined,
    expectedStatus: number,
    method: string,
    where: string,
    body?: unknown,
  ): Promise<unknown> {
    const answer = await request(`${server.url}${where}`, method, body);
    assert.equal(answer.status, expectedStatus, `${method} ${where}: ${JSON.stringify(answer.body)}`);
    if (kind === undefined) assert.equal(answer.body, undefined);
    else assert.deepEqual(validateMessage(kind, answer.body), [], `${method} ${where}`);
    return answer.body;
  }
  const createSession = async () =>
    (await call('session', 201, 'POST', '/ccdp/1/sessions', sessionRequest())) as SessionResponse;
  const act = async (id: string, action: unknown) =>
    (await call('view-response', 200, 'POST', `/ccdp/1/sessions/${id}/actions`, action)) as ViewResponse;
  const view = async (id: string, query = '') =>
    (await call('view-response', 200, 'GET', `/ccdp/1/sessions/${id}/view${query}`)) as ViewResponse;

  test('a whole session: every answer matches its schema', async () => {
    server = await serveStubbedClient();
    servers.push(server);
    const status = await call('status', 200, 'GET', '/ccdp/1/status');
    assert.deepEqual(status, {
      protocol: 'ccdp/1',
      client: { name: 'Zscaler Client Connector (reference client)', version: '4.7', platform: 'windows' },
      capabilities: { defects: (status as { capabilities: { defects: string[] } }).capabilities.defects },
      session: null,
    });
    const created = await createSession();
    assert.equal(created.view.window, 'main');
    assert.equal(created.idle, true);
    assert.equal(
      ((await call('status', 200, 'GET', '/ccdp/1/status')) as { session: string }).session,
      created.id,
    );
    const id = created.id;
    try {
      await wholeSession(id, created.serial);
    } finally {
      await request(`${server.url}/ccdp/1/sessions/${id}`, 'DELETE');
    }
    await call('error', 404, 'GET', `/ccdp/1/sessions/${id}/view`);
  });

  async function wholeSession(id: string, firstSerial: number): Promise<void> {
    await act(id, { type: 'click', control: 'Private Access' });
    await act(id, { type: 'click', control: 'Add Partner Tenant' });
    await act(id, { type: 'fill', field: 'Username', value: GLOBEX_USER });
    const signIn = await act(id, { type: 'click', control: 'Submit' });
    assert.equal(signIn.view.window, 'authentication');
    assert.ok(signIn.serial > firstSerial);

    // The long poll answers when the sign-in callback changes the window.
    const waiting = view(id, `?after=${signIn.serial}&wait=20000`);
    assert.equal((await redirectBack(signIn.view.authorizationUrl ?? '', { code: 'good' })).status, 200);
    let back = await waiting;
    assert.ok(back.serial > signIn.serial);
    // Each change of the view ends a poll: the tunnels change before the window does.
    for (let polls = 0; back.view.window !== 'private-access' && polls < 10; polls += 1) {
      back = await view(id, `?after=${back.serial}&wait=20000`);
    }
    assert.deepEqual(
      back.view.tenants.map((tenant: ClientView['tenants'][number]) => `${tenant.name} ${tenant.zpa}`),
      ['Acme Corp off', 'Globex Corporation on'],
    );
    const restarted = await act(id, { type: 'restart' });
    assert.equal(restarted.view.window, 'main');
    assert.ok(restarted.serial > back.serial);
    const evidence = (await call('evidence', 200, 'GET', `/ccdp/1/sessions/${id}/evidence`)) as {
      log: string[];
    };
    assert.ok(evidence.log.some((line) => line.startsWith('sign-in: opened')));
    await call(undefined, 204, 'DELETE', `/ccdp/1/sessions/${id}`);
  }

  test('a long poll with nothing changing answers with the same view when its wait is over', async () => {
    const { id, serial } = await createSession();
    try {
      const answer = await view(id, `?after=${serial}&wait=50`);
      assert.equal(answer.serial, serial);
      assert.equal(answer.idle, true);
      assert.equal(answer.view.window, 'main');
    } finally {
      await call(undefined, 204, 'DELETE', `/ccdp/1/sessions/${id}`);
    }
  });

  test('every error is a ccdp/1 error body with its documented status', async () => {
    const failures: [string, string, unknown, string][] = [
      ['GET', '/ccdp/1/nowhere', undefined, 'NOT_FOUND'],
      ['PUT', '/ccdp/1/status', undefined, 'METHOD_NOT_ALLOWED'],
      ['POST', '/ccdp/1/sessions', '{not json', 'BAD_REQUEST'],
      ['POST', '/ccdp/1/sessions', { platform: 'windows' }, 'BAD_REQUEST'],
      ['POST', '/ccdp/1/sessions', sessionRequest({ platform: 'macos' }), 'UNSUPPORTED'],
      ['POST', '/ccdp/1/sessions', sessionRequest({ defect: 'no-such-defect' }), 'UNSUPPORTED'],
      ['GET', '/ccdp/1/sessions/nobody/view', undefined, 'NO_SESSION'],
      ['DELETE', '/ccdp/1/sessions/nobody', undefined, 'NO_SESSION'],
    ];
    const created = await createSession();
    const id = created.id;
    failures.push(
      ['POST', '/ccdp/1/sessions', sessionRequest(), 'BUSY'],
      [
        'POST',
        `/ccdp/1/sessions/${id}/actions`,
        { type: 'click', control: 'Add Partner Tenant' },
        'NOT_OFFERED',
      ],
      [
        'POST',
        `/ccdp/1/sessions/${id}/actions`,
        { type: 'click', control: 'Turn On', tenant: 'Nobody' },
        'NOT_OFFERED',
      ],
      [
        'POST',
        `/ccdp/1/sessions/${id}/actions`,
        { type: 'fill', field: 'Password', value: 'x' },
        'NOT_OFFERED',
      ],
      ['POST', `/ccdp/1/sessions/${id}/actions`, { type: 'wave' }, 'BAD_REQUEST'],
      ['GET', `/ccdp/1/sessions/${id}/view?after=soon`, undefined, 'BAD_REQUEST'],
    );
    const seen = new Set<string>();
    try {
      for (const [method, where, body, code] of failures) {
        const answer = await request(`${server.url}${where}`, method, body);
        const expected = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
        assert.equal(answer.status, expected, `${method} ${where}: ${JSON.stringify(answer.body)}`);
        assert.deepEqual(validateMessage('error', answer.body), [], `${method} ${where}`);
        assert.equal((answer.body as { code: string }).code, code, `${method} ${where}`);
        seen.add(code);
      }
      const rebound = await rebindingRequest(`${server.url}/ccdp/1/status`);
      assert.equal(rebound.status, 400);
      assert.match(rebound.text, /Host header \\"evil.example/);
    } finally {
      await call(undefined, 204, 'DELETE', `/ccdp/1/sessions/${id}`);
    }
    // Every documented code but INTERNAL (a client's own failure) is shown above.
    assert.deepEqual([...seen].sort(), ERROR_CODES.filter((code) => code !== 'INTERNAL').sort());
  });
});

/** A request as a page on another host name resolving to 127.0.0.1 would send it (DNS rebinding). */
function rebindingRequest(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { headers: { host: 'evil.example:80' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

test('a start that fails after its session was deleted and replaced leaves the newer session', async () => {
  let releaseFirst: (() => void) | undefined;
  let starts = 0;
  const handler = referenceClientHandler({
    platform: 'windows',
    clientVersion: '4.7',
    deps: {
      policyApi: () => {
        starts += 1;
        const api = new StubPolicyApi({});
        if (starts > 1) return api;
        // The first session's enrolment hangs until released, then fails.
        api.enrolDevice = () =>
          new Promise((_, reject) => {
            releaseFirst = () => reject(new Error('the policy API could not be reached'));
          });
        return api;
      },
      signIn: stubSignIn([]),
    },
  });
  const listener = await serveCcdp(handler);
  try {
    const first = request(`${listener.url}/ccdp/1/sessions`, 'POST', sessionRequest());
    let stale: string | null = null;
    while (stale === null || releaseFirst === undefined) {
      const status = await request(`${listener.url}/ccdp/1/status`, 'GET');
      stale = (status.body as { session: string | null }).session;
      if (stale === null || releaseFirst === undefined) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await request(`${listener.url}/ccdp/1/sessions/${stale}`, 'DELETE')).status, 204);
    const second = await request(`${listener.url}/ccdp/1/sessions`, 'POST', sessionRequest());
    assert.equal(second.status, 201, JSON.stringify(second.body));
    releaseFirst();
    assert.equal((await first).status, 500);
    const status = await request(`${listener.url}/ccdp/1/status`, 'GET');
    assert.equal((status.body as { session: string | null }).session, (second.body as { id: string }).id);
  } finally {
    await listener.close();
  }
});
