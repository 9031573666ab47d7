/** The requests check-client's checks make, and what they read from the answers. */
import {
  BASE_PATH,
  type ProtocolAction,
  type SessionRequest,
  sessionPath,
  type ViewResponse,
} from '../protocol/ccdp.ts';
import { type CheckContext, CheckFailed, expectBody, needSession, needTarget } from './check.ts';
import type { Answer } from './probe.ts';

/** Where the checks' sections are. */
export const DOC = 'driver-protocol.md';

export const getStatus = (context: CheckContext, headers?: Record<string, string>) =>
  context.probe.send({
    method: 'GET',
    path: `${BASE_PATH}/status`,
    expect: { status: 200, kind: 'status' },
    ...(headers ? { headers } : {}),
  });

export function sessionRequest(context: CheckContext, extra: Partial<SessionRequest> = {}): SessionRequest {
  const target = needTarget(context);
  return {
    platform: target.platform,
    clientVersion: target.clientVersion,
    policyApiUrl: context.policyApiUrl,
    username: context.username,
    ...extra,
  };
}

export const postSession = (context: CheckContext, body: unknown) =>
  context.probe.send({
    method: 'POST',
    path: `${BASE_PATH}/sessions`,
    body,
    expect: { status: 201, kind: 'session' },
  });

/** Ends a session the adapter should not have started (it accepted what it should have refused). */
export async function dropCreated(context: CheckContext, answer: Answer): Promise<void> {
  const id = (answer.json as { id?: unknown } | undefined)?.id;
  if (answer.status !== 201 || typeof id !== 'string') return;
  await context.probe.send({ method: 'DELETE', path: sessionPath(id), expect: { status: 204 } });
  if (context.session?.id === id) context.session = undefined;
}

export async function act(context: CheckContext, action: ProtocolAction): Promise<ViewResponse> {
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

export function readView(context: CheckContext, query = '', waitMs?: number): Promise<Answer> {
  return context.probe.send({
    method: 'GET',
    path: `${sessionPath(needSession(context).id, '/view')}${query}`,
    expect: { status: 200, kind: 'view-response' },
    ...(waitMs === undefined ? {} : { waitMs }),
  });
}

export async function currentView(context: CheckContext): Promise<ViewResponse> {
  const body = expectBody<ViewResponse>(await readView(context), 200);
  needSession(context).last = body;
  return body;
}

export const describeView = (response: ViewResponse) =>
  `window ${response.view.window}, serial ${response.serial}, idle ${response.idle}`;

/** A control the window must offer for the check to go on; a warning's reason when it does not. */
export function offered(
  response: ViewResponse,
  kind: 'controls' | 'fields',
  name: string,
): string | undefined {
  if (response.view[kind].includes(name)) return undefined;
  return `the ${response.view.window} window offers no ${kind === 'controls' ? 'control' : 'field'} "${name}" (offered: ${response.view[kind].join(', ') || 'none'})`;
}
