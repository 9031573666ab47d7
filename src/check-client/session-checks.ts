/** The status and the session life cycle: start, evidence, end. */
import { PROTOCOL, type SessionResponse, type StatusResponse, sessionPath } from '../protocol/ccdp.ts';
import { type Check, CheckFailed, expectBody, fail, needSession, pass } from './check.ts';
import { DOC, describeView, getStatus, postSession, sessionRequest } from './requests.ts';

/** Status reads made for the timing sample. */
const STATUS_READS = 5;

export const statusCheck: Check = {
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
};

export const sessionStartCheck: Check = {
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
};

export const evidenceCheck: Check = {
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
};

export const sessionEndCheck: Check = {
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
};
