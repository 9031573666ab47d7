/**
 * The reference Client Connector: the windows, controls and ZPA behaviour the article "Adding a
 * Partner Tenant to Zscaler Client Connector" documents, on Windows and macOS, with named defects
 * (defects.ts) that each break one behaviour.
 */
import { mkdir } from 'node:fs/promises';
import * as oidc from 'openid-client';
import {
  type DeviceResponse,
  ErrorCodes,
  type PartnerDomainOption,
  type PartnerLookupRequest,
  type TenantInfo,
  type TunnelState,
} from '../../mocks/policy/contract.ts';
import { HttpUserAgent, RedirectedToClientError } from '../../src/agents/http-user-agent.ts';
import { AuthorizationRefused, type SignInPage, type SignInResult } from '../../src/agents/types.ts';
import type { ClientAction, ClientView, TenantView } from '../../src/drivers/types.ts';
import type { Platform } from '../../src/fixtures/types.ts';
import { ClientActionError } from '../../src/verdict.ts';
import { checkDefect, type DefectName } from './defects.ts';
import { CALLBACK_PATH, type CallbackReply, type LoopbackListener, listenForCallback } from './loopback.ts';
import {
  type EffectivePartnerLogin,
  effectivePartnerLogin,
  sendsPrimaryTenant,
} from './partner-login-policy.ts';
import { loadState, type PersistedPartner, saveState } from './persistence.ts';
import { createPolicyApi, type PolicyApi, PolicyApiError, type PolicyApiFactory } from './policy-api.ts';
import { type SignInFactory, type SignInSession, startSignIn } from './sign-in.ts';
import { signInWithDefect } from './sign-in-defects.ts';
import { isVersion } from './version.ts';

export interface ReferenceClientOptions {
  platform: Platform;
  clientVersion: string;
  policyApiUrl: string;
  username: string;
  /** Where state.json lives; kept by quit(). */
  dataDir: string;
  /** A name from DEFECTS to switch on. */
  defect?: string;
  /**
   * Where the partner's sign-in page shows: `browser` (the default) reports its URL as the view's
   * `authorizationUrl` for a browser to open; `embedded` shows the page inside the authentication
   * window, as a web view (WebView2, WKWebView) does: the window offers the page's fields and buttons
   * and reports no URL.
   */
  authentication?: Authentication;
  log?: (line: string) => void;
}

export type Authentication = 'browser' | 'embedded';

/** How a driver sets up the reference clients it starts, beyond each session's options. */
export type ReferenceClientSettings = Pick<ReferenceClientOptions, 'authentication'>;
export const AUTHENTICATIONS: readonly Authentication[] = ['browser', 'embedded'];

/** Replaceable collaborators, for unit tests: the real policy API client and OIDC sign-in by default. */
export interface ReferenceClientDeps {
  policyApi?: PolicyApiFactory;
  signIn?: SignInFactory;
}

export const TITLES = {
  main: 'Zscaler Client Connector',
  privateAccess: 'Private Access',
  addTenant: 'Add Tenant',
  signInPrefix: 'Sign In - ',
} as const;

export const PARTNER_TENANT_INFO =
  'Partner tenants let you access the private applications of a partner organisation. Add a partner tenant with the username the partner organisation gave you.';

interface Partner {
  tenant: TenantInfo;
  username: string;
  zpa: TunnelState;
}

/** A tenant as listed in the Private Access window. */
interface ListedTenant {
  id: string;
  name: string;
  role: 'main' | 'partner';
  zpa: TunnelState;
  username: string;
}

type AddTenantForm =
  | { kind: 'selection'; selected?: PartnerDomainOption }
  /** `partnerDomain` is the tenant chosen with Connect, in the select-and-Connect flow. */
  | { kind: 'username'; username: string; partnerDomain?: PartnerDomainOption };

interface SignInAttempt {
  tenant: TenantInfo;
  username: string;
  session: SignInSession;
  listener: LoopbackListener;
  /** With embedded authentication: the web view showing the identity provider's pages. */
  webView?: WebView;
}

/** An embedded web view: it catches the redirect to the client's redirect URI instead of sending it. */
interface WebView {
  agent: HttpUserAgent;
  /** The identity provider's page it shows. */
  page: SignInPage;
  /** What the person typed into the page's Username and Password. */
  typed: Map<string, string>;
}

type Screen =
  | { window: 'main' }
  | { window: 'private-access' }
  | { window: 'add-tenant'; form: AddTenantForm }
  | { window: 'authentication'; attempt: SignInAttempt };

interface ClientInit {
  options: ReferenceClientOptions;
  defect: DefectName | undefined;
  api: PolicyApi;
  signIn: SignInFactory;
  log: (line: string) => void;
  deviceToken: string;
  device: DeviceResponse;
  mainZpa: TunnelState;
  partners: Partner[];
  /** Started from state.json: the client was restarted. */
  restored: boolean;
}

export class ReferenceClient {
  readonly #options: ReferenceClientOptions;
  readonly #defect: DefectName | undefined;
  readonly #api: PolicyApi;
  readonly #signIn: SignInFactory;
  readonly #log: (line: string) => void;
  readonly #deviceToken: string;
  readonly #device: DeviceResponse;
  #mainZpa: TunnelState;
  #partners: Partner[];
  /** Partner tenants added since this start (only partner-added-after-restart-not-saved reads it). */
  readonly #addedHere = new Set<string>();
  readonly #restored: boolean;
  #screen: Screen = { window: 'main' };
  #error: string | undefined;
  /** Tenants whose sign-in was cancelled (only the defect retry-after-cancel-refused remembers them). */
  readonly #cancelled = new Set<string>();
  /** Tenants whose authentication window was closed (only retry-after-closed-window-refused). */
  readonly #abandoned = new Set<string>();
  /** Partner domains the policy API refused, with the error (only partner-refusal-remembered). */
  readonly #refused = new Map<string, string>();
  /** The ZPA status the window showed when first opened again, shown on each reopen until a switch in it (only reopen-shows-stale-zpa). */
  #staleZpa: Map<string, TunnelState> | undefined;
  // Stryker disable next-line all: defect-only: only the defect reopen-shows-stale-zpa reads it
  #showStale = false;
  readonly #listeners = new Set<(view: ClientView) => void>();
  /** Actions and sign-in callbacks run one at a time, in arrival order. */
  #queue: Promise<unknown> = Promise.resolve();
  #quit = false;
  /** Actions and callbacks queued or running. */
  #pending = 0;

  private constructor(init: ClientInit) {
    this.#options = init.options;
    this.#defect = init.defect;
    this.#api = init.api;
    this.#signIn = init.signIn;
    this.#log = init.log;
    this.#deviceToken = init.deviceToken;
    this.#device = init.device;
    this.#mainZpa = init.mainZpa;
    this.#partners = init.partners;
    this.#restored = init.restored;
  }

  /**
   * Starts the client: a device enrolled earlier (state.json in dataDir) downloads its policy again;
   * otherwise the device enrols and, where the organisation uses ZPA, turns its own tenant on.
   */
  static async start(
    options: ReferenceClientOptions,
    deps: ReferenceClientDeps = {},
  ): Promise<ReferenceClient> {
    const defect = checkDefect(options.defect);
    // Stryker disable all: unreachable from a run: the CLI validates every target's version first
    if (!isVersion(options.clientVersion)) {
      throw new Error(
        `"${options.clientVersion}" is not a client version (expected dotted numbers, e.g. 4.7)`,
      );
    }
    // Stryker restore all
    // Stryker disable next-line all: the client's log: where its lines go, evidence text no check reads
    const log = options.log ?? (() => {});
    const api = (deps.policyApi ?? createPolicyApi)({ baseUrl: options.policyApiUrl, log });
    const signIn = signInWithDefect(deps.signIn ?? startSignIn, defect);
    log(
      `start: ${options.platform} ${options.clientVersion} for ${options.username}${defect ? ` (defect ${defect})` : ''}`,
    );
    await mkdir(options.dataDir, { recursive: true });
    const saved = await loadState(options.dataDir);
    if (saved !== undefined) {
      const device = await api.currentDevice(saved.deviceToken);
      log(`state: restored ${saved.partners.length} partner tenant(s) from state.json`);
      let { mainZpa } = saved;
      if (defect === 'restart-reconnects-main' && device.services.zpa && mainZpa === 'off') {
        await api.setTunnel(device.tenant.id, 'on');
        mainZpa = 'on';
      }
      return new ReferenceClient({
        options,
        defect,
        api,
        signIn,
        log,
        deviceToken: saved.deviceToken,
        device,
        mainZpa,
        partners: saved.partners.map((partner) => ({ ...partner })),
        restored: true,
      });
    }
    const device = await api.enrolDevice({
      username: options.username,
      platform: options.platform,
      clientVersion: options.clientVersion,
    });
    log(`state: enrolled in ${device.tenant.name} as ${device.user.username}`);
    let mainZpa: TunnelState = 'off';
    if (device.services.zpa) {
      await api.setTunnel(device.tenant.id, 'on');
      mainZpa = 'on';
      log(`state: tenant "${device.tenant.name}" ZPA on`);
    }
    const client = new ReferenceClient({
      options,
      defect,
      api,
      signIn,
      log,
      deviceToken: device.deviceToken,
      device,
      mainZpa,
      partners: [],
      restored: false,
    });
    await client.#persist();
    return client;
  }

  view(): ClientView {
    const view: ClientView = {
      window: 'main',
      title: TITLES.main,
      // Stryker disable next-line all: open in the article: what a window other than Private Access lists besides its controls
      tenants: [],
      // Stryker disable next-line all: equivalent: every window sets its controls below
      controls: [],
      fields: [],
      options: [],
      // Stryker disable next-line all: open in the article: information text in a window other than Private Access
      info: [],
    };
    const screen = this.#screen;
    switch (screen.window) {
      case 'main':
        view.controls = ['Private Access'];
        // Stryker disable next-line all: open in the article: the main window's other controls; the flow starts at Private Access
        if (this.#device.services.zia) view.controls.push('Internet Security');
        break;
      case 'private-access':
        view.window = 'private-access';
        view.title = TITLES.privateAccess;
        view.tenants = this.#listedTenants()
          .map((tenant) => ({
            ...tenant,
            zpa:
              (this.#defect === 'reopen-shows-stale-zpa' &&
                this.#showStale &&
                this.#staleZpa?.get(tenant.id)) ||
              tenant.zpa,
          }))
          .map(toTenantView);
        view.controls = [...(this.#partnerLogin().showLink ? ['Add Partner Tenant'] : []), 'Close'];
        if (!this.#device.services.zpa && this.#defect !== 'zia-only-partner-info-missing') {
          view.info = [PARTNER_TENANT_INFO];
        }
        break;
      case 'add-tenant':
        view.window = 'add-tenant';
        view.title = TITLES.addTenant;
        if (screen.form.kind === 'selection') {
          view.options = this.#partnerLogin().partnerDomains.map((option) => option.tenantName);
          const connect = this.#defect === 'selection-without-connect' ? 'Next' : 'Connect';
          // Stryker disable next-line StringLiteral: open in the article: the Add Tenant window's other controls (it names Connect and Submit only)
          view.controls = [connect, 'Cancel'];
        } else {
          view.fields = ['Username'];
          const submit =
            this.#defect === 'username-form-without-submit' && screen.form.partnerDomain === undefined
              ? 'Next'
              : 'Submit';
          view.controls = [submit, 'Cancel'];
        }
        break;
      case 'authentication':
        view.window = 'authentication';
        view.title = `${TITLES.signInPrefix}${screen.attempt.tenant.name}`;
        if (screen.attempt.webView === undefined) {
          view.controls = ['Cancel'];
          view.authorizationUrl = screen.attempt.session.authorizationUrl;
        } else {
          const { page } = screen.attempt.webView;
          view.fields = page.fields;
          view.controls = page.controls.includes('Cancel') ? page.controls : [...page.controls, 'Cancel'];
          if (page.error !== undefined && this.#error === undefined) view.error = page.error;
        }
        break;
    }
    if (this.#error !== undefined) view.error = this.#error;
    return view;
  }

  act(action: ClientAction): Promise<void> {
    return this.#exclusive(async () => {
      // Stryker disable next-line all: a misuse of the driver contract: the harness never acts after quit
      if (this.#quit) throw new Error('the reference client has quit');
      this.#log(`action: ${describeAction(action)}`);
      switch (action.type) {
        case 'click':
          if (action.tenant !== undefined) await this.#clickTenantControl(action.control, action.tenant);
          else await this.#click(action.control);
          return;
        case 'fill':
          if (this.#screen.window === 'authentication') this.#type(action.field, action.value);
          else this.#fill(action.field, action.value);
          return;
        case 'select':
          this.#select(action.option);
          return;
      }
    });
  }

  // Stryker disable all: servers only: the ccdp/1 and UI servers (client/protocol, client/ui) listen; the in-process run the mutation test is does not, and npm test's --client-command and --client ui runs go through them
  onChange(listener: (view: ClientView) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
  // Stryker restore all

  /** Closes any loopback listener once the action or callback in progress is done; keeps dataDir. */
  quit(): Promise<void> {
    return this.#exclusive(async () => {
      // Stryker disable all: a misuse of the driver contract: the harness quits a client once and never acts after it
      if (this.#quit) return;
      this.#quit = true;
      // Stryker restore all
      if (this.#screen.window === 'authentication') await this.#screen.attempt.listener.close();
      this.#log('quit');
    });
  }

  // ---- window controls ----

  async #click(control: string): Promise<void> {
    const view = this.view();
    // Stryker disable next-line all: refusing what the window does not offer: only a defect's run reaches it (test/defects.test.ts)
    if (!view.controls.includes(control)) throw notOffered('control', control, view);
    const screen = this.#screen;
    switch (screen.window) {
      case 'main':
        if (control === 'Private Access' && this.#defect !== 'private-access-does-not-open') {
          if (this.#defect === 'reopen-shows-stale-zpa' && this.#partners.length > 0) {
            this.#staleZpa ??= new Map(this.#listedTenants().map((tenant) => [tenant.id, tenant.zpa]));
            this.#showStale = true;
          }
          this.#go({ window: 'private-access' });
        }
        // Internet Security is outside what this client simulates: nothing happens.
        return;
      case 'private-access':
        if (control === 'Add Partner Tenant') {
          if (this.#defect === 'add-partner-link-inert') return;
          const form: AddTenantForm = this.#partnerLogin().selection
            ? { kind: 'selection' }
            : // Stryker disable next-line StringLiteral: equivalent: a field's contents are not part of the view (docs/driver-protocol.md), and the step fills it
              { kind: 'username', username: '' };
          this.#go({ window: 'add-tenant', form });
        } else {
          if (this.#defect === 'partner-forgotten-on-close') this.#partners = [];
          this.#go({ window: 'main' });
        }
        return;
      case 'add-tenant':
        if (control === 'Cancel') this.#go({ window: 'private-access' });
        else if (screen.form.kind === 'selection') await this.#connect(screen.form);
        else await this.#submit(screen.form);
        return;
      case 'authentication': {
        const webView = screen.attempt.webView;
        if (webView !== undefined && control !== 'Cancel') {
          await this.#webViewSignIn(screen.attempt, webView);
          return;
        }
        // The page's own Cancel, when it shows one; else the window's, which closes it.
        if (webView?.page.controls.includes('Cancel')) {
          await this.#webViewLanded(screen.attempt, webView, () => webView.agent.cancel());
          return;
        }
        await screen.attempt.listener.close();
        if (this.#defect === 'retry-after-closed-window-refused')
          this.#abandoned.add(screen.attempt.tenant.id);
        this.#go({ window: 'private-access' }, `Sign-in to ${screen.attempt.tenant.name} was cancelled.`);
        return;
      }
    }
  }

  #fill(field: string, value: string): void {
    const view = this.view();
    const screen = this.#screen;
    // Stryker disable all: refusing what the window does not offer: a defect-free run acts only on what is offered; a defect's run (a control missing) reaches it, and test/defects.test.ts shows those runs blocked
    if (!view.fields.includes(field) || screen.window !== 'add-tenant' || screen.form.kind !== 'username') {
      throw notOffered('field', field, view);
    }
    // Stryker restore all
    screen.form.username = value;
    // Stryker disable next-line CallExpression: servers only: a change the window shows only once the next action or callback ends, which is when the in-process driver looks; the ccdp/1 and UI servers are told at once
    this.#changed(`field "${field}" filled`);
  }

  /** Typing into the identity provider's page in an embedded authentication window. */
  #type(field: string, value: string): void {
    const view = this.view();
    const screen = this.#screen;
    // Stryker disable next-line all: refusing what the window does not offer: a defect-free run acts only on what is offered
    if (!view.fields.includes(field) || screen.window !== 'authentication' || !screen.attempt.webView) {
      throw notOffered('field', field, view);
    }
    screen.attempt.webView.typed.set(field, value);
    // Stryker disable next-line CallExpression: servers only: a change the window shows only once the next action or callback ends, which is when the in-process driver looks; the ccdp/1 and UI servers are told at once
    this.#changed(`field "${field}" filled`);
  }

  /** Sign In on the page in the embedded window: the form posted with what was typed. */
  #webViewSignIn(attempt: SignInAttempt, webView: WebView): Promise<void> {
    return this.#webViewLanded(attempt, webView, () =>
      webView.agent.signIn({
        username: webView.typed.get('Username') ?? '',
        password: webView.typed.get('Password') ?? '',
      }),
    );
  }

  /**
   * Where the web view went: another page of the identity provider (shown in the window), or the
   * client's redirect URI, which it catches and handles as the loopback listener would a callback.
   */
  async #webViewLanded(
    attempt: SignInAttempt,
    webView: WebView,
    navigate: () => Promise<SignInResult>,
  ): Promise<void> {
    let result: SignInResult;
    try {
      result = await navigate();
    } catch (error) {
      // Stryker disable next-line all: the environment failing: the identity provider not answering; what a client shows then is not documented
      this.#setError(errorText(error));
      return;
    }
    if (result.kind === 'page') {
      webView.page = result.page;
      webView.typed.clear();
      this.#changed(
        `sign-in page ${result.page.url}${result.page.error ? ` with error "${result.page.error}"` : ''}`,
      );
      return;
    }
    // Stryker disable next-line all: unreachable: the web view is an HTTP user agent, which never reports "closed"
    if (result.kind === 'closed') return;
    await attempt.listener.close();
    await this.#handleCallback(attempt, new URL(result.url));
  }

  #select(option: string): void {
    const view = this.view();
    const screen = this.#screen;
    const chosen = this.#partnerLogin().partnerDomains.find((candidate) => candidate.tenantName === option);
    // Stryker disable all: refusing what the window does not offer: a defect-free run acts only on what is offered; a defect's run (a control missing) reaches it, and test/defects.test.ts shows those runs blocked
    if (
      !view.options.includes(option) ||
      chosen === undefined ||
      screen.window !== 'add-tenant' ||
      screen.form.kind !== 'selection'
    ) {
      throw notOffered('option', option, view);
    }
    // Stryker restore all
    screen.form.selected = chosen;
    // Stryker disable next-line CallExpression: servers only: a change the window shows only once the next action or callback ends, which is when the in-process driver looks; the ccdp/1 and UI servers are told at once
    this.#changed(`option "${option}" selected`);
  }

  async #connect(form: Extract<AddTenantForm, { kind: 'selection' }>): Promise<void> {
    // Stryker disable next-line BlockStatement: open in the article: Connect with no partner tenant selected (the article selects first)
    if (form.selected === undefined) {
      // Stryker disable next-line all: open in the article: Connect with no partner tenant selected (the article selects first)
      this.#setError('Select a partner tenant.');
      return;
    }
    const selected =
      this.#defect === 'connect-uses-first-option'
        ? (this.#partnerLogin().partnerDomains[0] ?? form.selected)
        : form.selected;
    if (this.#defect === 'selection-skips-username') {
      const username = `${this.#options.username.split('@')[0]}@${selected.domain}`;
      await this.#submit({ kind: 'username', username, partnerDomain: selected });
      return;
    }
    this.#error = undefined;
    this.#screen = {
      window: 'add-tenant',
      // Stryker disable next-line StringLiteral: equivalent: a field's contents are not part of the view (docs/driver-protocol.md), and the step fills it
      form: { kind: 'username', username: '', partnerDomain: selected },
    };
    // Stryker disable next-line CallExpression: servers only: a change the window shows only once the next action or callback ends, which is when the in-process driver looks; the ccdp/1 and UI servers are told at once
    this.#changed(`username form for partner tenant "${selected.tenantName}"`);
  }

  async #submit(form: Extract<AddTenantForm, { kind: 'username' }>): Promise<void> {
    // Stryker disable next-line MethodExpression: open in the article: a username with spaces around it (the article enters one)
    const username = form.username.trim();
    // Stryker disable next-line BlockStatement,StringLiteral: open in the article: Submit with no username (the article enters one)
    if (username === '') {
      // Stryker disable next-line all: open in the article: Submit with no username (the article enters one)
      this.#setError('Enter your username.');
      return;
    }
    if (this.#defect === 'zia-only-refuses-partner-login' && !this.#device.services.zpa) {
      this.#setError('Error 42002: Private Access is not configured for your company.');
      return;
    }
    if (
      form.partnerDomain !== undefined &&
      domainOf(username) === '' &&
      this.#defect !== 'no-domain-shown-as-mismatch'
    ) {
      this.#setError(
        `Error ${ErrorCodes.noDomain}: Enter your username with its domain, e.g. name@partner.com.`,
      );
      return;
    }
    if (
      form.partnerDomain !== undefined &&
      this.#defect !== 'partner-domain-not-enforced' &&
      (domainOf(username) !== form.partnerDomain.domain.toLowerCase() ||
        (this.#defect === 'username-fix-ignored' &&
          this.#error?.startsWith(`Error ${ErrorCodes.domainMismatch}`) === true))
    ) {
      this.#setError(
        `Error ${ErrorCodes.domainMismatch}: The username's domain does not match the selected partner tenant.`,
      );
      return;
    }
    const request: PartnerLookupRequest = { username };
    const { platform, clientVersion } = this.#options;
    if (sendsPrimaryTenant(platform, clientVersion) && this.#defect !== 'primary-tenant-not-sent') {
      request.primaryTenant = { domain: this.#device.tenant.domain, cloud: this.#device.tenant.cloud };
    }
    if (this.#defect === 'partner-refusal-remembered') {
      const remembered = this.#refused.get(domainOf(username));
      if (remembered !== undefined) {
        this.#setError(remembered);
        return;
      }
    }
    let partner: TenantInfo;
    try {
      partner = (await this.#api.lookupPartner(request)).tenant;
    } catch (error) {
      if (
        this.#defect === 'partner-refusal-remembered' &&
        error instanceof PolicyApiError &&
        error.code === ErrorCodes.partnerLoginNotAllowed
      ) {
        this.#refused.set(domainOf(username), errorText(error));
      }
      if (
        this.#defect === 'partner-refusal-not-shown' &&
        error instanceof PolicyApiError &&
        error.code === ErrorCodes.partnerLoginNotAllowed
      ) {
        this.#go({ window: 'private-access' });
        return;
      }
      this.#setError(errorText(error));
      return;
    }
    if (this.#defect === 'other-cloud-partner-not-found' && partner.cloud !== this.#device.tenant.cloud) {
      this.#setError(
        `Error ${ErrorCodes.domainNotRecognised}: The domain of "${username}" is not recognised.`,
      );
      return;
    }
    await this.#beginSignIn(partner, username);
  }

  // ---- partner sign-in ----

  async #beginSignIn(partner: TenantInfo, username: string): Promise<void> {
    if (
      (this.#defect === 'retry-after-cancel-refused' && this.#cancelled.has(partner.id)) ||
      (this.#defect === 'retry-after-closed-window-refused' && this.#abandoned.has(partner.id))
    ) {
      this.#setError(`A sign-in to ${partner.name} is already in progress.`);
      return;
    }
    const [first] = this.#partners;
    let idp = partner.idp;
    if (this.#defect === 'opens-own-idp') idp = this.#device.tenant.idp;
    if (this.#defect === 'second-sign-in-at-first-idp' && first !== undefined) idp = first.tenant.idp;
    if (
      this.#defect === 'main-off-after-failed-sign-in' &&
      this.#device.services.zpa &&
      this.#mainZpa === 'on'
    ) {
      try {
        await this.#putTunnel(this.#device.tenant.id, 'off');
      } catch (error) {
        this.#setError(errorText(error));
        return;
      }
    }
    let attempt: SignInAttempt | undefined;
    const listener = await listenForCallback(
      (callbackUrl) => this.#onCallback(attempt, callbackUrl),
      this.#defect === 'redirect-uri-not-registered' ? '/callback' : CALLBACK_PATH,
    );
    let session: SignInSession;
    try {
      session = await this.#signIn({
        issuer: idp.issuer,
        clientId: idp.clientId,
        loginHint: username,
        redirectUri: listener.redirectUri,
      });
    } catch (
      // Stryker disable all: the environment failing: the partner's identity provider not answering its discovery; the simulated one always does, and what a client shows then is not documented
      error
    ) {
      await listener.close();
      this.#go({ window: 'private-access' }, `Sign-in to ${partner.name} failed: ${errorText(error)}`);
      return;
    }
    // Stryker restore all
    attempt = { tenant: partner, username, session, listener };
    this.#log(`sign-in: opened ${session.authorizationUrl} (redirect ${listener.redirectUri})`);
    if (this.#options.authentication === 'embedded') {
      const opened = await this.#openWebView(attempt);
      if (opened === undefined) return;
      attempt.webView = opened;
    }
    this.#go({ window: 'authentication', attempt });
  }

  /**
   * Opens the authorization URL in an embedded web view. An identity provider that sends it straight
   * back to the redirect URI is handled as a callback; one that refuses the request shows its error in
   * the window.
   */
  async #openWebView(attempt: SignInAttempt): Promise<WebView | undefined> {
    const agent = new HttpUserAgent({ deliverRedirects: false });
    const typed = new Map<string, string>();
    try {
      return { agent, typed, page: await agent.open(attempt.session.authorizationUrl) };
    } catch (error) {
      if (error instanceof RedirectedToClientError) {
        this.#screen = { window: 'authentication', attempt };
        await attempt.listener.close();
        await this.#handleCallback(attempt, new URL(error.url));
        return undefined;
      }
      const shown = error instanceof AuthorizationRefused ? error.answer : errorText(error);
      const origin = URL.parse(attempt.session.authorizationUrl)?.origin ?? '';
      const page: SignInPage = {
        url: attempt.session.authorizationUrl,
        origin,
        title: '',
        organisation: '',
        fields: [],
        controls: [],
        error: shown,
      };
      return { agent, typed, page };
    }
  }

  /** The browser's request to the loopback redirect: it is answered once the client has finished. */
  #onCallback(attempt: SignInAttempt | undefined, callbackUrl: URL): Promise<CallbackReply> {
    return this.#exclusive(() => this.#handleCallback(attempt, callbackUrl));
  }

  /** The authorization response for `attempt`, from the loopback listener or the embedded web view. */
  async #handleCallback(attempt: SignInAttempt | undefined, callbackUrl: URL): Promise<CallbackReply> {
    const screen = this.#screen;
    if (
      this.#quit ||
      attempt === undefined ||
      screen.window !== 'authentication' ||
      screen.attempt !== attempt
    ) {
      // Stryker disable next-line all: the loopback listener's page for a callback after its sign-in ended: no clause or cited standard says what it shows
      return { status: 400, message: 'This sign-in is no longer in progress.' };
    }
    const name = attempt.tenant.name;
    // Stryker disable next-line StringLiteral: open in the article: which words the error shows; an error response read as a code is refused by the token endpoint, and the same error shows
    const error = callbackUrl.searchParams.get('error');
    this.#log(`sign-in: callback for ${name} (${error === null ? 'authorization code' : `error ${error}`})`);
    // Stryker disable next-line BlockStatement: open in the article: which words the error shows; an error response read as a code is refused by the token endpoint, and the same error shows
    if (error !== null) {
      if (this.#defect === 'retry-after-cancel-refused' && error === 'access_denied') {
        this.#cancelled.add(attempt.tenant.id);
      }
      // Stryker disable all: open in the article: which words the error shows (cancelled or failed, with the identity provider's description)
      const message =
        error === 'access_denied'
          ? `Sign-in to ${name} was cancelled.`
          : `Sign-in to ${name} failed: ${callbackUrl.searchParams.get('error_description') ?? error}`;
      // Stryker restore all
      this.#go({ window: 'private-access' }, message);
      return { status: 400, message };
    }
    try {
      await this.#completeSignIn(attempt, callbackUrl);
    } catch (failure) {
      // The failures two defects swallow: the token endpoint refusing the code, the policy API the ID token.
      if (
        (this.#defect === 'token-error-not-shown' && failure instanceof oidc.ResponseBodyError) ||
        (this.#defect === 'id-token-refusal-not-shown' &&
          failure instanceof PolicyApiError &&
          failure.code === ErrorCodes.invalidIdToken)
      ) {
        this.#go({ window: 'private-access' });
        return { status: 400, message: 'Sign-in failed.' };
      }
      const message = `Sign-in to ${name} failed: ${errorText(failure)}`;
      if (
        this.#defect === 'enrolment-refusal-not-shown' &&
        failure instanceof PolicyApiError &&
        failure.code === ErrorCodes.partnerLoginNotAllowed
      ) {
        return { status: 400, message };
      }
      this.#go({ window: 'private-access' }, message);
      return { status: 400, message };
    }
    // Stryker disable next-line all: the loopback listener's page after the redirect: no clause or cited standard says what it shows
    return { status: 200, message: `You are signed in to ${name}. You can close this window.` };
  }

  async #completeSignIn(attempt: SignInAttempt, callbackUrl: URL): Promise<void> {
    const idToken = await attempt.session.complete(callbackUrl);
    this.#log(`sign-in: ID token received for ${attempt.tenant.name}`);
    const { tenant } = await this.#api.enrolPartner({ tenantId: attempt.tenant.id, idToken });
    // Stryker disable next-line all: defect-only: the partner's tunnel stays off only under partner-login-keeps-main-on or zia-only-partner-zpa-off
    let zpa: TunnelState = 'off';
    if (
      this.#defect !== 'partner-login-keeps-main-on' &&
      !(this.#defect === 'zia-only-partner-zpa-off' && !this.#device.services.zpa)
    ) {
      await this.#activateOnly(tenant.id);
      zpa = 'on';
    }
    const entry: Partner = { tenant, username: attempt.username, zpa };
    this.#addedHere.add(tenant.id);
    const index = this.#partners.findIndex((partner) => partner.tenant.id === tenant.id);
    if (this.#defect === 'second-partner-replaces-first') this.#partners = [entry];
    else if (index === -1) this.#partners.push(entry);
    else this.#partners[index] = entry;
    await this.#persist();
    this.#go({ window: this.#defect === 'main-window-after-sign-in' ? 'main' : 'private-access' });
  }

  // ---- ZPA tunnels ----

  async #clickTenantControl(control: string, tenantName: string): Promise<void> {
    const view = this.view();
    const listed = view.tenants.find((tenant) => tenant.name === tenantName);
    // Stryker disable all: refusing what the window does not offer: a defect-free run acts only on what is offered; a defect's run (a control missing) reaches it, and test/defects.test.ts shows those runs blocked
    if (listed === undefined) {
      throw new ClientActionError(
        `no tenant "${tenantName}" in the ${view.title} window (listed: ${listOrNone(view.tenants.map((tenant) => tenant.name))})`,
      );
    }
    if (!listed.controls.includes(control)) {
      throw new ClientActionError(
        `no control "${control}" for tenant "${tenantName}" in the ${view.title} window (offered: ${listOrNone(listed.controls)})`,
      );
    }
    const tenant = this.#listedTenants().find((candidate) => candidate.name === tenantName);
    if (tenant === undefined) return;
    // Stryker restore all
    if (this.#defect === 'reopen-shows-stale-zpa') this.#showStale = false;
    try {
      if (control === 'Turn Off' && this.#defect === 'turn-off-keeps-tunnel') {
        this.#showTunnel(tenant.id, 'off');
      } else if (
        control === 'Turn Off' &&
        tenant.role === 'partner' &&
        (this.#defect === 'turn-off-ignored' ||
          (this.#defect === 'second-partner-turn-off-ignored' && this.#partners[1]?.tenant.id === tenant.id))
      ) {
        return;
      } else if (control === 'Turn Off') {
        await this.#putTunnel(tenant.id, 'off');
      } else if (tenant.role === 'main' && this.#defect === 'turn-on-main-leaves-partner-on') {
        await this.#putTunnel(tenant.id, 'on');
      } else if (tenant.role === 'main' && this.#defect === 'turn-on-main-not-requested') {
        for (const other of this.#listedTenants())
          this.#showTunnel(other.id, other.id === tenant.id ? 'on' : 'off');
      } else if (tenant.role === 'partner' && this.#defect === 'partner-turn-on-ignored') {
        return;
      } else {
        await this.#activateOnly(tenant.id);
      }
      await this.#persist();
    } catch (
      // Stryker disable all: the environment failing: the policy API refusing a tunnel or the disk refusing state.json; the simulated world never does, and what a client shows then is not documented
      error
    ) {
      this.#setError(errorText(error));
    }
  }
  // Stryker restore all

  /** One tunnel at a time: every other tenant that is on goes off before `tenantId` goes on. */
  async #activateOnly(tenantId: string): Promise<void> {
    // Stryker disable next-line all: defect-only: only partner-switch-leaves-partner-on reads it
    const comesOn = tenantId === this.#device.tenant.id ? 'main' : 'partner';
    // Stryker disable next-line MethodExpression: equivalent: a tunnel's state is set with an idempotent PUT, so asking a tunnel that is off to go off again changes nothing the service or the user sees
    const others = this.#listedTenants().filter(
      (tenant) =>
        tenant.zpa === 'on' &&
        tenant.id !== tenantId &&
        // The defect turns only the organisation's tenant off when a partner's comes on.
        !(
          this.#defect === 'partner-switch-leaves-partner-on' &&
          tenant.role === 'partner' &&
          comesOn === 'partner'
        ),
    );
    if (
      this.#defect === 'tunnels-overlap-while-switching' ||
      (this.#defect === 'turn-on-main-after-restart-overlaps' && this.#restored && comesOn === 'main')
    ) {
      await this.#putTunnel(tenantId, 'on');
      for (const tenant of others) await this.#putTunnel(tenant.id, 'off');
      return;
    }
    for (const tenant of others) await this.#putTunnel(tenant.id, 'off');
    await this.#putTunnel(tenantId, 'on');
  }

  async #putTunnel(tenantId: string, state: TunnelState): Promise<void> {
    await this.#api.setTunnel(tenantId, state);
    this.#showTunnel(tenantId, state);
  }

  /** The tunnel's state in the window, whatever the service was asked. */
  #showTunnel(tenantId: string, state: TunnelState): void {
    if (this.#device.services.zpa && tenantId === this.#device.tenant.id) {
      this.#mainZpa = state;
      this.#changed(`tenant "${this.#device.tenant.name}" ZPA ${state}`);
      return;
    }
    const partner = this.#partners.find((candidate) => candidate.tenant.id === tenantId);
    if (partner !== undefined) partner.zpa = state;
    this.#changed(`tenant "${partner?.tenant.name ?? tenantId}" ZPA ${state}`);
  }

  // ---- state ----

  #partnerLogin(): EffectivePartnerLogin {
    return effectivePartnerLogin(
      this.#options.platform,
      this.#options.clientVersion,
      this.#device.partnerLogin,
      this.#defect,
    );
  }

  #listedTenants(): ListedTenant[] {
    const tenants: ListedTenant[] = [];
    if (this.#device.services.zpa) {
      const { tenant, user } = this.#device;
      tenants.push({
        id: tenant.id,
        name: tenant.name,
        role: 'main',
        zpa: this.#mainZpa,
        username: user.username,
      });
    }
    for (const partner of this.#partners) {
      tenants.push({
        id: partner.tenant.id,
        name: partner.tenant.name,
        role: 'partner',
        zpa: partner.zpa,
        username: partner.username,
      });
    }
    return tenants;
  }

  async #persist(): Promise<void> {
    const partners: PersistedPartner[] =
      this.#defect === 'partner-not-saved'
        ? []
        : this.#partners
            .filter(
              (partner) =>
                !(
                  this.#defect === 'partner-added-after-restart-not-saved' &&
                  this.#restored &&
                  this.#addedHere.has(partner.tenant.id)
                ),
            )
            .map((partner) => ({ ...partner }));
    await saveState(this.#options.dataDir, {
      deviceToken: this.#deviceToken,
      mainZpa: this.#mainZpa,
      partners,
    });
  }

  /** Opens a window; leaving a window clears its error, and `error` is what the new one shows. */
  #go(screen: Screen, error?: string): void {
    this.#screen = screen;
    this.#error = error;
    const view = this.view();
    this.#changed(`window "${view.title}"${error === undefined ? '' : ` with error "${error}"`}`);
  }

  #setError(error: string): void {
    this.#error = error;
    this.#changed(`error "${error}"`);
  }

  #changed(description: string): void {
    this.#log(`state: ${description}`);
    // Stryker disable all: servers only: the ccdp/1 and UI servers (client/protocol, client/ui) listen; the in-process run the mutation test is does not, and npm test's --client-command and --client ui runs go through them
    if (this.#listeners.size === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(this.view());
      } catch (error) {
        this.#log(`onChange listener failed: ${errorText(error)}`);
      }
    }
    // Stryker restore all
  }

  /**
   * Resolves once every action and sign-in callback queued so far has been handled: from then on the
   * view changes only on a new action or callback.
   */
  // Stryker disable all: servers only: in process every action and callback is awaited by the step that caused it, so the queue is empty whenever the driver waits; the ccdp/1 server's waits rely on settled() and idle, and npm test's --client-command runs go through them
  async settled(): Promise<void> {
    let queue: Promise<unknown>;
    do {
      queue = this.#queue;
      await queue;
    } while (queue !== this.#queue);
  }

  /** True when nothing is queued or running: the view changes only on a new action or callback. */
  get idle(): boolean {
    return this.#pending === 0;
  }
  // Stryker restore all

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    // Stryker disable next-line all: servers only: #pending is read by idle, which only the ccdp/1 server asks
    this.#pending += 1;
    // Stryker disable next-line BlockStatement: servers only: #pending is read by idle, which only the ccdp/1 server asks
    const run = this.#queue.then(task).finally(() => {
      // Stryker disable next-line all: servers only: #pending is read by idle, which only the ccdp/1 server asks
      this.#pending -= 1;
    });
    this.#queue = run.catch(() => {});
    return run;
  }
}

function toTenantView(tenant: ListedTenant): TenantView {
  return {
    name: tenant.name,
    role: tenant.role,
    zpa: tenant.zpa,
    controls: [tenant.zpa === 'on' ? 'Turn Off' : 'Turn On'],
    username: tenant.username,
  };
}

// Stryker disable all: refusing what the window does not offer: a defect-free run acts only on what is offered; a defect's run (a control missing) reaches it, and test/defects.test.ts shows those runs blocked
function notOffered(kind: 'control' | 'field' | 'option', name: string, view: ClientView): ClientActionError {
  const offered = kind === 'control' ? view.controls : kind === 'field' ? view.fields : view.options;
  return new ClientActionError(
    `no ${kind} "${name}" in the ${view.title} window (offered: ${listOrNone(offered)})`,
  );
}

function listOrNone(items: string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

// Stryker restore all

// Stryker disable all: text for the client's log only (ClientLog in scripts/stryker-ignorers.mjs)
function describeAction(action: ClientAction): string {
  switch (action.type) {
    case 'click':
      return `click "${action.control}"${action.tenant === undefined ? '' : ` for tenant "${action.tenant}"`}`;
    case 'fill':
      return `fill "${action.field}" with "${action.value}"`;
    case 'select':
      return `select "${action.option}"`;
  }
}

// Stryker restore all

function domainOf(username: string): string {
  const at = username.lastIndexOf('@');
  return at === -1 ? '' : username.slice(at + 1).toLowerCase();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
