/**
 * check-client's HTTP side: one request at a time to the adapter under test, each timed, its answer
 * checked against the ccdp/1 schema of what was expected (the error schema for a 4xx/5xx), and
 * recorded, so the checks that close the run can judge every answer's schema and time.
 */
import { Agent, request as httpRequest } from 'node:http';
import { PROTOCOL } from '../protocol/ccdp.ts';
import { type MessageKind, validateMessage } from '../protocol/schema.ts';

export interface Exchange {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  path: string;
  /** JSON-encoded unless a string (sent as it is). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The status the protocol requires, and the schema of its body (none: no body, as for 204). */
  expect: { status: number; kind?: MessageKind };
  /** A long poll's `wait`: it may take that much longer than the action timeout. */
  waitMs?: number;
}

export interface Answer {
  /** `GET /ccdp/1/status`. */
  where: string;
  /** undefined: no answer came (see `noAnswer`). */
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, when it was JSON. */
  json?: unknown;
  /** What is wrong with the body for its status: empty when it matches its schema. */
  problems: string[];
  /** Why no answer came: a timeout, a refused or dropped connection. */
  noAnswer?: string;
  ms: number;
  /** How long it was allowed to take. */
  limitMs: number;
}

export class Probe {
  readonly baseUrl: string;
  readonly actionTimeoutMs: number;
  /** Every answer so far, in order. */
  readonly answers: Answer[] = [];
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(baseUrl: string, actionTimeoutMs: number) {
    this.baseUrl = baseUrl;
    this.actionTimeoutMs = actionTimeoutMs;
  }

  async send(exchange: Exchange): Promise<Answer> {
    const limitMs = this.actionTimeoutMs + (exchange.waitMs ?? 0);
    const started = performance.now();
    const raw = await rawRequest(this.#agent, new URL(exchange.path, this.baseUrl), exchange, limitMs);
    const answer: Answer = {
      where: `${exchange.method} ${exchange.path}`,
      headers: raw.headers,
      text: raw.text,
      problems: [],
      ms: Math.round(performance.now() - started),
      limitMs,
      ...(raw.status === undefined ? {} : { status: raw.status }),
      ...(raw.noAnswer === undefined ? {} : { noAnswer: raw.noAnswer }),
    };
    if (raw.status !== undefined) judgeBody(answer, raw.status, exchange.expect);
    this.answers.push(answer);
    return answer;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Fills in `json` and `problems`: the body against the schema its status calls for. */
function judgeBody(answer: Answer, status: number, expect: Exchange['expect']): void {
  const kind: MessageKind | undefined =
    status >= 400 ? 'error' : status === expect.status ? expect.kind : undefined;
  if (status < 400 && status === expect.status && expect.kind === undefined) {
    if (answer.text !== '') answer.problems.push(`a ${status} with a body (${snippet(answer.text)})`);
    return;
  }
  if (answer.text === '' && kind === undefined) return;
  try {
    answer.json = JSON.parse(answer.text);
  } catch {
    answer.problems.push(`a body that is not JSON: ${snippet(answer.text)}`);
    return;
  }
  if (kind !== undefined) {
    const problems = validateMessage(kind, answer.json);
    if (problems.length > 0) answer.problems.push(`not a ${PROTOCOL} ${kind}: ${problems.join('; ')}`);
  }
}

function snippet(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

interface RawAnswer {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  noAnswer?: string;
}

/** node:http rather than fetch: check-client must be able to send a foreign Host header. */
function rawRequest(agent: Agent, url: URL, exchange: Exchange, limitMs: number): Promise<RawAnswer> {
  const body =
    exchange.body === undefined
      ? undefined
      : typeof exchange.body === 'string'
        ? exchange.body
        : JSON.stringify(exchange.body);
  return new Promise((resolve) => {
    const done = (answer: RawAnswer) => {
      clearTimeout(timer);
      resolve(answer);
    };
    const outgoing = httpRequest(
      url,
      {
        agent,
        method: exchange.method,
        headers: {
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          ...exchange.headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => done({ status: response.statusCode ?? 0, headers: response.headers, text }));
        response.on('error', () =>
          done({ headers: {}, text: '', noAnswer: 'the connection was closed mid-answer' }),
        );
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy();
      done({ headers: {}, text: '', noAnswer: `no answer within ${limitMs} ms` });
    }, limitMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const noAnswer =
        error.code === 'ECONNREFUSED'
          ? 'connection refused (nothing listens there)'
          : `the connection failed (${error.code ?? error.message})`;
      done({ headers: {}, text: '', noAnswer });
    });
    outgoing.end(body);
  });
}
