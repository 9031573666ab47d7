/**
 * ccdp/1, the connector-conformance driver protocol: HTTP+JSON on 127.0.0.1 between the harness
 * (the `remote` driver) and a client under test. docs/driver-protocol.md is the specification; the
 * JSON Schemas in ./schemas/ are normative for every body, and these types mirror them.
 */
import type { ClientAction, ClientView } from '../drivers/types.ts';
import type { Platform } from '../fixtures/types.ts';

export const PROTOCOL = 'ccdp/1';
/** Every path of the protocol starts with this. */
export const BASE_PATH = '/ccdp/1';

/** GET /ccdp/1/status */
export interface StatusResponse {
  protocol: typeof PROTOCOL;
  client: { name: string; version: string; platform: Platform };
  capabilities: { defects: string[] };
  /** The running session's id, or null. */
  session: string | null;
}

/** POST /ccdp/1/sessions */
export interface SessionRequest {
  platform: Platform;
  clientVersion: string;
  policyApiUrl: string;
  username: string;
  defect?: string;
}

/** GET …/view, POST …/actions */
export interface ViewResponse {
  serial: number;
  /** The client has finished all it received: the view will not change until it receives something new. */
  idle: boolean;
  view: ClientView;
}

/** POST /ccdp/1/sessions → 201 */
export interface SessionResponse extends ViewResponse {
  id: string;
}

/** POST …/actions */
export type ProtocolAction = ClientAction | { type: 'restart' };

/** GET …/evidence */
export interface EvidenceResponse {
  log: string[];
}

export const ERROR_CODES = [
  'BAD_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'NO_SESSION',
  'BUSY',
  'NOT_OFFERED',
  'UNSUPPORTED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status that goes with each error code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NO_SESSION: 404,
  BUSY: 409,
  NOT_OFFERED: 409,
  UNSUPPORTED: 422,
  INTERNAL: 500,
};

/** Every 4xx/5xx body. */
export interface ErrorResponse {
  code: ErrorCode;
  message: string;
}

/** Longest long poll a server must honour, in ms; longer `wait` values are cut to it. */
export const MAX_WAIT_MS = 30_000;

export function sessionPath(id: string, rest: '' | '/view' | '/actions' | '/evidence' = ''): string {
  return `${BASE_PATH}/sessions/${encodeURIComponent(id)}${rest}`;
}
