/**
 * The `remote` driver: a client under test reached through ccdp/1 (docs/driver-protocol.md) over
 * HTTP on 127.0.0.1. Every answer is checked against the protocol's JSON Schemas. A client that
 * answers off the schema, late, not at all or with an unexpected status throws ClientProtocolError
 * (the scenario is in error); NOT_OFFERED throws ClientActionError (what the scenario checks is
 * blocked), as the in-process client does.
 */
import {
  BASE_PATH,
  type ErrorResponse,
  type EvidenceResponse,
  PROTOCOL,
  type ProtocolAction,
  type SessionRequest,
  type SessionResponse,
  type StatusResponse,
  sessionPath,
  type ViewResponse,
} from '../protocol/ccdp.ts';
import { type MessageKind, validateMessage } from '../protocol/schema.ts';
import { ClientActionError, ClientProtocolError } from '../verdict.ts';
import type { ClientAction, ClientDriver, ClientView, SessionOptions, WaitOptions } from './types.ts';
import { ViewNotShown } from './view-not-shown.ts';

export const DEFAULT_ACTION_TIMEOUT_MS = 10_000;

/** Why no answer came: the connection was refused, dropped, or nothing came in time. */
export type NoAnswer = 'refused' | 'dropped' | 'timeout';
const DEFAULT_WAIT_MS = 5000;

export interface RemoteDriverOptions {
  /** The client's origin, e.g. `http://127.0.0.1:PORT`. */
  baseUrl: string;
  /** How long any one request may take (a long poll: its wait plus this). */
  actionTimeoutMs?: number;
  /**
   * More about a client that did not answer, e.g. that its process exited. Asked only when no answer
   * came; after a dropped connection it may wait a moment for the process's exit to be seen.
   */
  describeFault?: (how: NoAnswer) => Promise<string | undefined>;
  /** Told of every protocol fault, e.g. so the client's process is replaced before the next scenario. */
  onFault?: (error: ClientProtocolError) => void;
}

interface Call {
  /** What the harness was doing, in the article's words: `click "Submit"`, `read the view`. */
  what: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** The success status and the schema of its body (none for 204). */
  expect: { status: number; kind?: MessageKind };
  timeoutMs?: number;
}

export class RemoteDriver implements ClientDriver {
  readonly name = 'remote';
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #options: RemoteDriverOptions;
  #session: string | undefined;
  #fault: ClientProtocolError | undefined;

  constructor(options: RemoteDriverOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
    this.#options = options;
  }

  async start(options: SessionOptions): Promise<void> {
    if (this.#session !== undefined)
      throw new Error('the remote client already has a session; stop it first');
    const request: SessionRequest = {
      platform: options.platform,
      clientVersion: options.clientVersion,
      policyApiUrl: options.policyApiUrl,
      username: options.username,
      ...(options.defect !== undefined ? { defect: options.defect } : {}),
    };
    const created = await this.#call<SessionResponse>({
      what: `start the client enrolled as ${options.username}`,
      method: 'POST',
      path: `${BASE_PATH}/sessions`,
      body: request,
      expect: { status: 201, kind: 'session' },
    });
    this.#session = created.id;
  }

  async view(): Promise<ClientView> {
    return (await this.#view('read the view')).view;
  }

  async act(action: ClientAction): Promise<void> {
    await this.#act(action);
  }

  /**
   * Long-polls the view (`?after=SERIAL&wait=MS`) until `predicate` holds; ends at once when the
   * client says it is idle (the view cannot change by itself), as the in-process driver does.
   */
  async waitForView(predicate: (view: ClientView) => boolean, options: WaitOptions): Promise<ClientView> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const deadline = Date.now() + timeoutMs;
    const what = `wait for ${options.description}`;
    let current = await this.#view(what);
    for (;;) {
      if (predicate(current.view)) return current.view;
      const remaining = deadline - Date.now();
      if (current.idle || remaining <= 0) {
        const why = current.idle ? 'the client is idle' : `timed out after ${timeoutMs}ms`;
        throw new ViewNotShown(options.description, why, current.view);
      }
      const previous = current.serial;
      current = await this.#view(what, `?after=${previous}&wait=${remaining}`, remaining + this.#timeoutMs);
      if (current.serial < previous) {
        throw this.#protocolError(
          what,
          `a view serial of at least ${previous}`,
          `serial ${current.serial}: serials must not go down`,
        );
      }
    }
  }

  async restart(): Promise<void> {
    await this.#act({ type: 'restart' });
  }

  /** Ends the session. After a protocol fault it still tries, but a second failure is not reported. */
  async stop(): Promise<void> {
    const id = this.#session;
    if (id === undefined) return;
    this.#session = undefined;
    try {
      await this.#call({
        what: 'stop the client',
        method: 'DELETE',
        path: sessionPath(id),
        expect: { status: 204 },
      });
    } catch (error) {
      if (this.#fault === undefined) throw error;
    }
  }

  async evidence(): Promise<{ log: string[] }> {
    if (this.#session === undefined) return { log: [] };
    try {
      const { log } = await this.#call<EvidenceResponse>({
        what: 'read the client log',
        method: 'GET',
        path: sessionPath(this.#session, '/evidence'),
        expect: { status: 200, kind: 'evidence' },
      });
      return { log };
    } catch (error) {
      if (this.#fault === undefined) throw error;
      return { log: [`(no log: ${(error as Error).message})`] };
    }
  }

  #sessionId(): string {
    if (this.#session === undefined) throw new Error('the remote client has no session; call start() first');
    return this.#session;
  }

  #view(what: string, query = '', timeoutMs?: number): Promise<ViewResponse> {
    return this.#call<ViewResponse>({
      what,
      method: 'GET',
      path: `${sessionPath(this.#sessionId(), '/view')}${query}`,
      expect: { status: 200, kind: 'view-response' },
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  }

  #act(action: ProtocolAction): Promise<ViewResponse> {
    return this.#call<ViewResponse>({
      what: describeAction(action),
      method: 'POST',
      path: sessionPath(this.#sessionId(), '/actions'),
      body: action,
      expect: { status: 200, kind: 'view-response' },
    });
  }

  async #call<T>(call: Call): Promise<T> {
    try {
      return await exchange<T>(this.#baseUrl, call, call.timeoutMs ?? this.#timeoutMs);
    } catch (error) {
      if (!(error instanceof ProtocolProblem)) throw error;
      const more = error.how === 'answered' ? undefined : await this.#options.describeFault?.(error.how);
      const got = more === undefined ? error.got : `${error.got} (${more})`;
      throw this.#protocolError(call.what, error.expected, got);
    }
  }

  #protocolError(what: string, expected: string, got: string): ClientProtocolError {
    const error = new ClientProtocolError(`${what}: expected ${expected}; got ${got}`);
    this.#fault ??= error;
    this.#options.onFault?.(error);
    return error;
  }
}

function describeAction(action: ProtocolAction): string {
  switch (action.type) {
    case 'click':
      return `click "${action.control}"${action.tenant === undefined ? '' : ` for tenant "${action.tenant}"`}`;
    case 'fill':
      return `fill "${action.field}"`;
    case 'select':
      return `select "${action.option}"`;
    case 'restart':
      return 'restart the client';
  }
}

/** The client's status (GET /ccdp/1/status), checked against the schema; ClientProtocolError otherwise. */
export async function readStatus(
  baseUrl: string,
  timeoutMs = DEFAULT_ACTION_TIMEOUT_MS,
): Promise<StatusResponse> {
  try {
    return await exchange<StatusResponse>(
      baseUrl.replace(/\/+$/, ''),
      { method: 'GET', path: `${BASE_PATH}/status`, expect: { status: 200, kind: 'status' } },
      timeoutMs,
    );
  } catch (error) {
    if (!(error instanceof ProtocolProblem)) throw error;
    throw new ClientProtocolError(
      `read the status of ${baseUrl}: expected ${error.expected}; got ${error.got}`,
      {
        cause: error,
      },
    );
  }
}

/** A request that did not get the answer the protocol requires. */
export class ProtocolProblem extends Error {
  override name = 'ProtocolProblem';
  readonly expected: string;
  readonly got: string;
  /** A (wrong) answer came, or none did. */
  readonly how: 'answered' | NoAnswer;
  constructor(expected: string, got: string, how: 'answered' | NoAnswer = 'answered') {
    super(`expected ${expected}; got ${got}`);
    this.expected = expected;
    this.got = got;
    this.how = how;
  }
}

/**
 * One request and its answer: the body of the expected status, checked against its schema;
 * ClientActionError for NOT_OFFERED (to a POST); ProtocolProblem for anything else.
 */
async function exchange<T>(baseUrl: string, call: Omit<Call, 'what'>, timeoutMs: number): Promise<T> {
  const where = `${call.method} ${call.path}`;
  const expected = `${call.expect.status}${call.expect.kind ? ` with a ${PROTOCOL} ${call.expect.kind}` : ''} from ${where}`;
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${baseUrl}${call.path}`, {
      method: call.method,
      headers: call.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const failure = transportFailure(error, timeoutMs);
    throw new ProtocolProblem(expected, failure.text, failure.how);
  }
  const body = parseJson(text);
  if (status === call.expect.status) {
    if (call.expect.kind === undefined) return undefined as T;
    const problems = body.ok ? validateMessage(call.expect.kind, body.value) : [body.problem];
    if (problems.length === 0) return (body as { value: T }).value;
    throw new ProtocolProblem(expected, `${status} with ${problems.join('; ')}`);
  }
  if (!body.ok) throw new ProtocolProblem(expected, `${status} with ${body.problem}`);
  const problems = validateMessage('error', body.value);
  if (problems.length > 0) {
    throw new ProtocolProblem(
      expected,
      `${status} with a body that is not a ${PROTOCOL} error: ${problems.join('; ')}`,
    );
  }
  const failure = body.value as ErrorResponse;
  if (failure.code === 'NOT_OFFERED' && call.method === 'POST') throw new ClientActionError(failure.message);
  throw new ProtocolProblem(expected, `${status} ${failure.code}: ${failure.message}`);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const snippet = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    return { ok: false, problem: `a body that is not JSON: ${JSON.stringify(snippet)}` };
  }
}

/** What came back instead of an answer, in words: a timeout, a refused or dropped connection. */
function transportFailure(error: unknown, timeoutMs: number): { text: string; how: NoAnswer } {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { text: `no answer within ${timeoutMs} ms (--action-timeout)`, how: 'timeout' };
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return { text: 'connection refused (nothing listens there)', how: 'refused' };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return { text: 'the connection was closed before an answer', how: 'dropped' };
    default: {
      const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
      return { text: `no answer: ${message}`, how: 'dropped' };
    }
  }
}
