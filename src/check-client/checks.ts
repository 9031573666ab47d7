/**
 * The checks of check-client, in the order they run: the status, a session's life cycle with each
 * action kind and the long poll, every error, the Host check, and last the schema of every answer and
 * the time each took. Each is a plain value: its id, the section of docs/driver-protocol.md, its run.
 */
import {
  BASE_PATH,
  PROTOCOL,
  type ProtocolAction,
  type SessionRequest,
  type SessionResponse,
  type StatusResponse,
  sessionPath,
  type ViewResponse,
} from '../protocol/ccdp.ts';
import {
  type Check,
  type CheckContext,
  CheckFailed,
  expectBody,
  expectError,
  fail,
  needSession,
  needTarget,
  pass,
  warn,
} from './check.ts';
import type { Answer } from './probe.ts';

const DOC = 'driver-protocol.md';
/** Status reads made for the timing sample. */
const STATUS_READS = 5;
/** A defect no client serves. */
const NO_SUCH_DEFECT = 'check-client-no-such-defect';

const getStatus = (context: CheckContext, headers?: Record<string, string>) =>
  context.probe.send({
    method: 'GET',
    path: `${BASE_PATH}/status`,
    expect: { status: 200, kind: 'status' },
    ...(headers ? { headers } : {}),
  });

function sessionRequest(context: CheckContext, extra: Partial<SessionRequest> = {}): SessionRequest {
  const target = needTarget(context);
  return {
    platform: target.platform,
    clientVersion: target.clientVersion,
    policyApiUrl: context.policyApiUrl,
    username: context.username,
    ...extra,
  };
}

const postSession = (context: CheckContext, body: unknown) =>
  context.probe.send({
    method: 'POST',
    path: `${BASE_PATH}/sessions`,
    body,
    expect: { status: 201, kind: 'session' },
  });

/** Ends a session the adapter should not have started (it accepted what it should have refused). */
async function dropCreated(context: CheckContext, answer: Answer): Promise<void> {
  const id = (answer.json as { id?: unknown } | undefined)?.id;
  if (answer.status !== 201 || typeof id !== 'string') return;
  await context.probe.send({ method: 'DELETE', path: sessionPath(id), expect: { status: 204 } });
  if (context.session?.id === id) context.session = undefined;
}

async function act(context: CheckContext, action: ProtocolAction): Promise<ViewResponse> {
  const session = needSession(context);
  const answer = await context.probe.send({
    method: 'POST',
    path: sessionPath(session.id, '/actions'),
    body: action,
    expect: { status: 200, kind: 'view-response' },
  });
  const body = expectBody<ViewResponse>(answer, 200);
  if (body.serial < session.last.serial) {
    throw new CheckFailed(
      `${answer.where}: serial ${body.serial} after ${session.last.serial}: serials must not go down`,
    );
  }
  session.last = body;
  return body;
}

function readView(context: CheckContext, query = '', waitMs?: number): Promise<Answer> {
  return context.probe.send({
    method: 'GET',
    path: `${sessionPath(needSession(context).id, '/view')}${query}`,
    expect: { status: 200, kind: 'view-response' },
    ...(waitMs === undefined ? {} : { waitMs }),
  });
}

async function currentView(context: CheckContext): Promise<ViewResponse> {
  const body = expectBody<ViewResponse>(await readView(context), 200);
  needSession(context).last = body;
  return body;
}

const describeView = (response: ViewResponse) =>
  `window ${response.view.window}, serial ${response.serial}, idle ${response.idle}`;

/** A control the window must offer for the check to go on; a warning's reason when it does not. */
function offered(response: ViewResponse, kind: 'controls' | 'fields', name: string): string | undefined {
  if (response.view[kind].includes(name)) return undefined;
  return `the ${response.view.window} window offers no ${kind === 'controls' ? 'control' : 'field'} "${name}" (offered: ${response.view[kind].join(', ') || 'none'})`;
}

export const CHECKS: readonly Check[] = [
  {
    id: 'status',
    section: `${DOC}#get-ccdp1status`,
    async run(context) {
      let status: StatusResponse | undefined;
      for (let read = 0; read < STATUS_READS; read += 1)
        status = expectBody<StatusResponse>(await getStatus(context), 200);
      if (status === undefined) throw new CheckFailed('no status read');
      const { platform, version } = status.client;
      const { expected } = context;
      if (
        (expected.platform !== undefined && expected.platform !== platform) ||
        (expected.clientVersion !== undefined && expected.clientVersion !== version)
      ) {
        return fail(
          `the client is ${platform} ${version}, not ${expected.platform ?? platform} ${expected.clientVersion ?? version} (--platform, --client-version)`,
        );
      }
      if (status.session !== null)
        return fail(`session ${status.session} is running: delete it, then check again`);
      context.target = { platform, clientVersion: version };
      return pass(`${PROTOCOL}, ${status.client.name} ${version} on ${platform}, no session`);
    },
  },
  {
    id: 'session-start',
    section: `${DOC}#post-ccdp1sessions`,
    async run(context) {
      const answer = await postSession(context, sessionRequest(context));
      const created = expectBody<SessionResponse>(answer, 201);
      context.session = { id: created.id, last: created };
      const location = answer.headers.location;
      const path = sessionPath(created.id);
      if (typeof location !== 'string' || new URL(location, context.probe.baseUrl).pathname !== path) {
        return fail(`201 with Location ${JSON.stringify(location)}, expected ${path}`);
      }
      const status = expectBody<StatusResponse>(await getStatus(context), 200);
      if (status.session !== created.id)
        return fail(`status says session ${status.session}, not ${created.id}`);
      return pass(`201, Location ${path}, ${describeView(created)}; status names the session`);
    },
  },
  {
    id: 'error-busy',
    section: `${DOC}#errors`,
    async run(context) {
      needSession(context);
      const answer = await postSession(context, sessionRequest(context));
      if (answer.status === 201) {
        await dropCreated(context, answer);
        return fail('a second POST /ccdp/1/sessions while one runs was 201, not 409 BUSY');
      }
      expectError(answer, 'BUSY');
      return pass('409 BUSY for a second session');
    },
  },
  {
    id: 'long-poll-wait',
    section: `${DOC}#get-ccdp1sessionsidview`,
    async run(context) {
      const before = await currentView(context);
      const { holdMs, earlyMs } = context.timing;
      const answer = await readView(context, `?after=${before.serial}&wait=${holdMs}`, holdMs);
      const after = expectBody<ViewResponse>(answer, 200);
      needSession(context).last = after;
      if (after.serial < before.serial)
        return fail(`serial went down from ${before.serial} to ${after.serial}`);
      const ended =
        after.serial > before.serial
          ? 'the view changed'
          : !before.idle && after.idle
            ? 'the client became idle'
            : undefined;
      if (answer.ms < holdMs - earlyMs && ended === undefined) {
        return fail(
          `?after=${before.serial}&wait=${holdMs} answered after ${answer.ms} ms with nothing changed; it must be held until the wait is over`,
        );
      }
      return pass(
        `?after=${before.serial}&wait=${holdMs} answered after ${answer.ms} ms (${ended ?? 'the wait was over'}), idle ${after.idle}`,
      );
    },
  },
  {
    id: 'action-click',
    section: `${DOC}#post-ccdp1sessionsidactions`,
    async run(context) {
      const before = await currentView(context);
      const missing = offered(before, 'controls', 'Private Access');
      if (missing !== undefined) return warn(`not exercised: ${missing}`);
      const after = await act(context, { type: 'click', control: 'Private Access' });
      if (after.view.window === before.view.window) {
        return warn(
          `200, but the window is still ${after.view.window}: no click was seen to change the view`,
        );
      }
      if (after.serial <= before.serial)
        return fail(`the window changed, but serial stayed ${after.serial}: it must grow on every change`);
      return pass(`click "Private Access": 200, ${describeView(after)}`);
    },
  },
  {
    id: 'long-poll-after',
    section: `${DOC}#get-ccdp1sessionsidview`,
    async run(context) {
      const current = await currentView(context);
      if (current.serial === 0) throw new CheckFailed('serial is still 0 after a change of the view');
      const { longWaitMs } = context.timing;
      const query = `?after=${current.serial - 1}&wait=${longWaitMs}`;
      const answer = await readView(context, query, longWaitMs);
      const body = expectBody<ViewResponse>(answer, 200);
      if (body.serial < current.serial)
        return fail(`${query}: serial ${body.serial}, lower than ${current.serial}`);
      if (answer.ms >= longWaitMs / 2) {
        return fail(
          `${query} with serial ${current.serial} answered after ${answer.ms} ms; it must answer at once`,
        );
      }
      return pass(`${query} answered after ${answer.ms} ms with serial ${body.serial}`);
    },
  },
  {
    id: 'long-poll-change',
    section: `${DOC}#get-ccdp1sessionsidview`,
    async run(context) {
      const before = await currentView(context);
      const missing = offered(before, 'controls', 'Close');
      if (missing !== undefined) return warn(`not exercised: ${missing}`);
      const { longWaitMs } = context.timing;
      const query = `?after=${before.serial}&wait=${longWaitMs}`;
      // The poll goes first; the action that changes the view follows on another connection.
      const polling = readView(context, query, longWaitMs);
      const closed = await act(context, { type: 'click', control: 'Close' });
      const answer = await polling;
      const body = expectBody<ViewResponse>(answer, 200);
      if (closed.serial <= before.serial)
        return fail(`click "Close" changed the view, but serial stayed ${closed.serial}`);
      if (body.serial <= before.serial || answer.ms >= longWaitMs / 2) {
        return fail(
          `${query} answered after ${answer.ms} ms with serial ${body.serial}, though click "Close" changed the view (serial ${closed.serial}); it must answer on the change (requests are served concurrently)`,
        );
      }
      await act(context, { type: 'click', control: 'Private Access' });
      return pass(
        `${query} answered after ${answer.ms} ms with serial ${body.serial} when click "Close" changed the view`,
      );
    },
  },
  {
    id: 'error-not-offered',
    section: `${DOC}#post-ccdp1sessionsidactions`,
    async run(context) {
      const session = needSession(context);
      const actions: ProtocolAction[] = [
        { type: 'click', control: 'check-client: no such control' },
        { type: 'fill', field: 'check-client: no such field', value: 'x' },
        { type: 'select', option: 'check-client: no such option' },
      ];
      for (const action of actions) {
        const answer = await context.probe.send({
          method: 'POST',
          path: sessionPath(session.id, '/actions'),
          body: action,
          expect: { status: 409, kind: 'error' },
        });
        expectError(answer, 'NOT_OFFERED');
      }
      return pass('409 NOT_OFFERED for a control, a field and an option the window does not offer');
    },
  },
  {
    id: 'action-select',
    section: `${DOC}#post-ccdp1sessionsidactions`,
    async run(context) {
      let current = await currentView(context);
      if (current.view.window !== 'add-tenant') {
        const missing = offered(current, 'controls', 'Add Partner Tenant');
        if (missing !== undefined) return warn(`not exercised: ${missing}`);
        current = await act(context, { type: 'click', control: 'Add Partner Tenant' });
      }
      const [option] = current.view.options;
      if (option === undefined) {
        return warn(
          `not exercised: the ${current.view.window} window lists no options for ${context.username} (Windows 4.6 and later do)`,
        );
      }
      const selected = await act(context, { type: 'select', option });
      if (selected.view.controls.includes('Connect'))
        await act(context, { type: 'click', control: 'Connect' });
      return pass(`select "${option}": 200, ${describeView(selected)}`);
    },
  },
  {
    id: 'action-fill',
    section: `${DOC}#post-ccdp1sessionsidactions`,
    async run(context) {
      const current = await currentView(context);
      const missing = offered(current, 'fields', 'Username');
      if (missing !== undefined) return warn(`not exercised: ${missing}`);
      const filled = await act(context, { type: 'fill', field: 'Username', value: context.partnerUsername });
      return pass(`fill "Username": 200, ${describeView(filled)}`);
    },
  },
  {
    id: 'action-restart',
    section: `${DOC}#post-ccdp1sessionsidactions`,
    async run(context) {
      const restarted = await act(context, { type: 'restart' });
      return pass(`restart: 200, ${describeView(restarted)}`);
    },
  },
  {
    id: 'evidence',
    section: `${DOC}#get-ccdp1sessionsidevidence`,
    async run(context) {
      const answer = await context.probe.send({
        method: 'GET',
        path: sessionPath(needSession(context).id, '/evidence'),
        expect: { status: 200, kind: 'evidence' },
      });
      const { log } = expectBody<{ log: string[] }>(answer, 200);
      return pass(`200, ${log.length} log lines`);
    },
  },
  {
    id: 'error-bad-request',
    section: `${DOC}#errors`,
    async run(context) {
      const { id } = needSession(context);
      const actions = sessionPath(id, '/actions');
      const cases = [
        { method: 'POST', path: actions, body: { type: 'wave' } },
        { method: 'POST', path: actions, body: '{not json' },
        { method: 'GET', path: `${sessionPath(id, '/view')}?after=soon&wait=10` },
      ] as const;
      for (const { method, path, ...rest } of cases) {
        const answer = await context.probe.send({
          method,
          path,
          ...rest,
          expect: { status: 400, kind: 'error' },
        });
        expectError(answer, 'BAD_REQUEST');
      }
      return pass('400 BAD_REQUEST for an unknown action, a body that is not JSON and ?after=soon');
    },
  },
  {
    id: 'error-not-found',
    section: `${DOC}#errors`,
    async run(context) {
      needTarget(context);
      const answer = await context.probe.send({
        method: 'GET',
        path: `${BASE_PATH}/nowhere`,
        expect: { status: 404, kind: 'error' },
      });
      expectError(answer, 'NOT_FOUND');
      return pass(`404 NOT_FOUND for GET ${BASE_PATH}/nowhere`);
    },
  },
  {
    id: 'error-method-not-allowed',
    section: `${DOC}#errors`,
    async run(context) {
      needTarget(context);
      for (const [method, path] of [
        ['PUT', `${BASE_PATH}/status`],
        ['GET', `${BASE_PATH}/sessions`],
      ] as const) {
        expectError(
          await context.probe.send({ method, path, expect: { status: 405, kind: 'error' } }),
          'METHOD_NOT_ALLOWED',
        );
      }
      return pass(`405 METHOD_NOT_ALLOWED for PUT ${BASE_PATH}/status and GET ${BASE_PATH}/sessions`);
    },
  },
  {
    id: 'session-end',
    section: `${DOC}#delete-ccdp1sessionsid`,
    async run(context) {
      const { id } = needSession(context);
      const answer = await context.probe.send({
        method: 'DELETE',
        path: sessionPath(id),
        expect: { status: 204 },
      });
      expectBody(answer, 204);
      context.session = undefined;
      const status = expectBody<StatusResponse>(await getStatus(context), 200);
      if (status.session !== null) return fail(`204, but status still says session ${status.session}`);
      return pass('204 without a body; status says no session');
    },
  },
  {
    id: 'error-no-session',
    section: `${DOC}#errors`,
    async run(context) {
      needTarget(context);
      const id = 'check-client-no-such-session';
      const cases = [
        { method: 'GET', path: sessionPath(id, '/view') },
        { method: 'POST', path: sessionPath(id, '/actions'), body: { type: 'restart' } },
        { method: 'GET', path: sessionPath(id, '/evidence') },
        { method: 'DELETE', path: sessionPath(id) },
      ] as const;
      for (const { method, path, ...rest } of cases) {
        expectError(
          await context.probe.send({ method, path, ...rest, expect: { status: 404, kind: 'error' } }),
          'NO_SESSION',
        );
      }
      return pass(
        '404 NO_SESSION for the view, an action, the evidence and DELETE of a session that does not run',
      );
    },
  },
  {
    id: 'error-unsupported',
    section: `${DOC}#post-ccdp1sessions`,
    async run(context) {
      const target = needTarget(context);
      const cases: [string, Partial<SessionRequest>][] = [
        ['another platform', { platform: target.platform === 'windows' ? 'macos' : 'windows' }],
        ['another version', { clientVersion: target.clientVersion === '0.1' ? '0.2' : '0.1' }],
        ['an unknown defect', { defect: NO_SUCH_DEFECT }],
      ];
      for (const [what, extra] of cases) {
        const answer = await postSession(context, sessionRequest(context, extra));
        await dropCreated(context, answer);
        if (answer.status === 201) throw new CheckFailed(`201 for ${what}, not 422 UNSUPPORTED`);
        expectError(answer, 'UNSUPPORTED');
      }
      return pass('422 UNSUPPORTED for another platform, another version and an unknown defect');
    },
  },
  {
    id: 'error-bad-session-request',
    section: `${DOC}#errors`,
    async run(context) {
      for (const body of [{ platform: needTarget(context).platform }, '{not json']) {
        const answer = await postSession(context, body);
        await dropCreated(context, answer);
        expectError(answer, 'BAD_REQUEST');
      }
      return pass('400 BAD_REQUEST for a session request missing its fields and for one that is not JSON');
    },
  },
  {
    id: 'host-check',
    section: `${DOC}#conventions`,
    async run(context) {
      needTarget(context);
      const answer = await getStatus(context, { host: 'rebound.example:80' });
      if (
        answer.status === 400 &&
        answer.problems.length === 0 &&
        (answer.json as { code?: string }).code === 'BAD_REQUEST'
      ) {
        return pass('400 BAD_REQUEST for Host: rebound.example:80');
      }
      // The docs say SHOULD: a warning, not a failure.
      return warn(
        `Host: rebound.example:80 got ${answer.status ?? answer.noAnswer}, not 400 BAD_REQUEST: a page on another host could reach the adapter (DNS rebinding)`,
      );
    },
  },
  {
    id: 'schema',
    section: `${DOC}#faults`,
    async run(context) {
      needTarget(context);
      const off = context.probe.answers.filter((answer) => answer.problems.length > 0);
      if (off.length > 0) {
        const [first] = off;
        return fail(
          `${off.length} of ${context.probe.answers.length} answers off the schema, e.g. ${first?.where}: ${first?.problems.join('; ')}`,
        );
      }
      return pass(`all ${context.probe.answers.length} answers match their schemas`);
    },
  },
  {
    id: 'response-times',
    section: `${DOC}#conventions`,
    async run(context) {
      needTarget(context);
      const { answers } = context.probe;
      const late = answers.filter((answer) => answer.status === undefined || answer.ms > answer.limitMs);
      if (late.length > 0) {
        const [first] = late;
        return fail(
          `${late.length} requests not answered in time, e.g. ${first?.where}: ${first?.noAnswer ?? `${first?.ms} ms`}`,
        );
      }
      const quick = answers.filter((answer) => answer.where.endsWith('/status')).map((answer) => answer.ms);
      const typical = median(quick);
      if (typical >= context.timing.slowMs) {
        return warn(
          `GET ${BASE_PATH}/status takes ${typical} ms typically on loopback: a response written in pieces with Nagle's algorithm on stalls for the peer's delayed ACK (~40 ms); send each response in one write or set TCP_NODELAY`,
        );
      }
      const timed = answers.filter((answer) => answer.limitMs === context.probe.actionTimeoutMs);
      const slowest = timed.reduce((worst, answer) => (answer.ms > worst.ms ? answer : worst), {
        ms: 0,
        where: 'none',
      });
      return pass(
        `every answer in time; status ${typical} ms typically; the slowest: ${slowest.where}, ${slowest.ms} ms`,
      );
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
