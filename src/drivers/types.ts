/**
 * The public line between the steps and a client under test. Steps speak only this interface;
 * each driver (in-process reference client, Playwright UI, remote protocol, container) implements it.
 * Everything here is in the article's words: windows, controls and tenants a person sees.
 */
import type { Platform } from '../fixtures/types.ts';

export type WindowName = 'main' | 'private-access' | 'add-tenant' | 'authentication';

export interface TenantView {
  /** Tenant name as displayed, e.g. "Acme Corp". */
  name: string;
  role: 'main' | 'partner';
  /** ZPA service status for this tenant. */
  zpa: 'on' | 'off';
  /** Controls offered for this tenant, e.g. ["Turn Off"] or ["Turn On"]. */
  controls: string[];
  username?: string;
}

/** What a person sees in the client right now. */
export interface ClientView {
  window: WindowName;
  /** Window title as displayed. */
  title: string;
  /** Tenants listed (Private Access window). */
  tenants: TenantView[];
  /** Links and buttons offered in the open window, by accessible name (not per-tenant ones). */
  controls: string[];
  /** Labelled text fields offered, e.g. ["Username"]. */
  fields: string[];
  /** Options of a selection list (the partner tenants to choose from in Add Tenant). */
  options: string[];
  /** Information texts shown, e.g. about partner tenants for ZIA-only organisations. */
  info: string[];
  /** Error text shown to the user, if any. */
  error?: string;
  /** The URL the client opened in its authentication window, while one is open. */
  authorizationUrl?: string;
}

export type ClientAction =
  | { type: 'click'; control: string; tenant?: string }
  | { type: 'fill'; field: string; value: string }
  | { type: 'select'; option: string };

export interface SessionOptions {
  platform: Platform;
  clientVersion: string;
  /** Base URL of the policy API, e.g. `http://127.0.0.1:PORT` (paths under /zcc/api/v1). */
  policyApiUrl: string;
  /** The user the device is enrolled for (own organisation). */
  username: string;
  /** Reference client only: the named defect to switch on. */
  defect?: string;
}

export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  description: string;
  timeoutMs?: number;
}

export interface ClientDriver {
  readonly name: string;
  /** Start the client for one scenario, enrolled as `options.username`. */
  start(options: SessionOptions): Promise<void>;
  view(): Promise<ClientView>;
  /** Perform a UI-level action; rejects with ClientActionError when the client does not offer it. */
  act(action: ClientAction): Promise<void>;
  /**
   * Resolve with the first view satisfying `predicate`, observed from the call on (call it after the
   * action whose effect it awaits); reject with a timeout naming `description`. A driver that knows
   * the client has finished all it was asked (the in-process one) may reject before the timeout.
   */
  waitForView(predicate: (view: ClientView) => boolean, options: WaitOptions): Promise<ClientView>;
  /** Quit and start the client again, keeping its data. */
  restart(): Promise<void>;
  /** Quit the client and drop its data. */
  stop(): Promise<void>;
  /** Log lines and other evidence gathered so far. */
  evidence(): Promise<{ log: string[] }>;
  /** What the client's window looks like now, for drivers that have a screen (PNG). */
  screenshot?(): Promise<Buffer>;
}
