/** Every error of docs/driver-protocol.md#errors, with its status and an error body. */
import { BASE_PATH, type SessionRequest, sessionPath } from '../protocol/ccdp.ts';
import { type Check, CheckFailed, expectError, fail, needSession, needTarget, pass } from './check.ts';
import { DOC, dropCreated, postSession, sessionRequest } from './requests.ts';

/** A defect no client serves. */
const NO_SUCH_DEFECT = 'check-client-no-such-defect';

export const errorBusyCheck: Check = {
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
};

export const errorBadRequestCheck: Check = {
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
};

export const errorNotFoundCheck: Check = {
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
};

export const errorMethodNotAllowedCheck: Check = {
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
};

export const errorNoSessionCheck: Check = {
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
};

export const errorUnsupportedCheck: Check = {
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
};

export const errorBadSessionRequestCheck: Check = {
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
};
