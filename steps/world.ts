import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { AuthorizationRequest, RunningIdentityProvider } from '../mocks/idp/identity-provider.ts';
import type { Device, TunnelLogEntry } from '../mocks/policy/state.ts';
import { attackerCode, sendCallback } from '../src/agents/attacker.ts';
import { BrowserUserAgent } from '../src/agents/browser-user-agent.ts';
import { ClientWindowUserAgent } from '../src/agents/client-window-user-agent.ts';
import { HttpUserAgent } from '../src/agents/http-user-agent.ts';
import {
  AuthorizationRefused,
  refusalInRedirect,
  refusalPage,
  type SignInPage,
  type SignInResult,
  type UserAgent,
} from '../src/agents/types.ts';
import { createDriver, needsBrowser, parseClientSpec } from '../src/drivers/index.ts';
import { DEFAULT_ACTION_TIMEOUT_MS } from '../src/drivers/remote.ts';
import type { ClientDriver, ClientView } from '../src/drivers/types.ts';
import { ViewNotShown } from '../src/drivers/view-not-shown.ts';
import type { SimulatedWorld } from '../src/environment/simulated-world.ts';
import type { Organisation, Platform, User } from '../src/fixtures/types.ts';
import type { ScenarioEvidence } from '../src/report/evidence.ts';
import type { EvidenceMode } from '../src/report/evidence-mode.ts';
import { throwIfInterrupted } from '../src/runner/interruption.ts';
import { type ScenarioBrowser, scenarioBrowser, simulatedWorld } from '../src/runner/worker-resources.ts';
import { ClientActionError, type Nonconformance } from '../src/verdict.ts';
import { violated } from './check.ts';
import { InvariantWatch } from './invariants.ts';
import { expected, notPartnerSignIn, shows } from './observations.ts';
import { remoteDriverOptions } from './remote-client.ts';

/** What the run passes every scenario (JSON: it crosses to parallel workers). */
export interface RunParameters {
  platform: Platform;
  clientVersion: string;
  /** The catalog's requirements that apply to this target, by id. */
  applicable: string[];
  /** The --client value: "reference", "ui", "ui:URL", "remote:URL" or "remote". */
  client: string;
  /** Who signs in on the identity provider's page: a plain HTTP agent or Chromium. */
  userAgent: 'http' | 'browser';
  /** Screenshots and traces kept: none, of failing scenarios, or all screenshots. */
  evidence: EvidenceMode;
  /** This target's report folder: evidence goes below it. */
  reportDir: string;
  /** A new browser context for every scenario, instead of the worker's one reset between scenarios. */
  freshContext: boolean;
  defect?: string;
  fixturesDir: string;
  /** With client "remote": the command that starts a ccdp/1 client, `{port}` in it. */
  clientCommand?: string;
  /** How long a remote client may take to answer one request, in ms. */
  actionTimeoutMs?: number;
  /**
   * Run by cucumber-js alone (cucumber.mjs): the simulated world and the browser are released when
   * the run ends. The runner releases them itself, after its last target.
   */
  releaseAtEnd?: boolean;
}

/** What the attacker's forged authorization response gets wrong (docs/driver-protocol.md). */
export type Forgery = 'wrong-state' | 'no-state' | 'other-issuer' | 'other-client';

/** How long the client may take to open its authentication window after Submit (a partner lookup first). */
export const SIGN_IN_WINDOW_TIMEOUT_MS = 5_000;

export class ConformanceWorld extends World<RunParameters> {
  /** Requirement ids this scenario covers (its @req: tags). */
  requirements: string[] = [];
  private session: ClientDriver | undefined;
  private agent: UserAgent | undefined;
  /** Signs in through the client's own window, for clients that show the sign-in page inside it. */
  private windowAgent: ClientWindowUserAgent | undefined;
  /** The identity providers' authorization requests up to this one belong to sign-ins that ended. */
  private requestsDone = 0;
  private browser: ScenarioBrowser | undefined;
  /** Set when the scenario's cleanup began (dispose). */
  private disposed = false;
  /** Screenshots and trace of this scenario (set by the Before hook). */
  evidence: ScenarioEvidence | undefined;
  private page: SignInPage | undefined;
  /** The authorization URL `page` was opened for: a new one (the next partner's) is a new page. */
  private pageFor: string | undefined;
  /** With a page in the client's window: that window's title and the request's sequence number. */
  private pageWindow: { title: string; seq: number } | undefined;
  /** The own-organisation user the client is enrolled as. */
  user: User | undefined;
  /** The username last entered for the partner tenant. */
  partnerUsername: string | undefined;
  /** The code of the attacker's forged callback, once sent. */
  forgedCode: string | undefined;
  /** Violations a step saw and noted without stopping (steps/check.ts `noteViolation`). */
  readonly noted: Nonconformance[] = [];
  /** The window right after the last Turn On or Turn Off (SWITCH-HOLDS compares a reopened window). */
  lastSwitch: ClientView | undefined;
  /** What the invariants watch: the views the steps saw, the tenants listed so far. */
  readonly watch = new InvariantWatch();

  constructor(options: IWorldOptions<RunParameters>) {
    super(options);
  }

  get env(): SimulatedWorld {
    return simulatedWorld();
  }

  get driver(): ClientDriver {
    if (!this.session)
      throw new Error(
        'no client is running: a step "Zscaler Client Connector ... is enrolled as" must come first',
      );
    return this.session;
  }

  get userAgent(): UserAgent {
    if (this.agent) return this.agent;
    if (this.parameters.userAgent === 'browser') {
      if (!this.browser) throw new Error('the browser user agent needs the browser started with the client');
      this.agent = new BrowserUserAgent({ context: this.browser.context });
    } else {
      this.agent = new HttpUserAgent();
    }
    return this.agent;
  }

  async startClient(username: string): Promise<void> {
    this.user = this.findUser(username);
    const ui = needsBrowser(parseClientSpec(this.parameters.client));
    if (ui || this.parameters.userAgent === 'browser') {
      const browser = await scenarioBrowser({ withPage: ui, fresh: this.parameters.freshContext });
      await this.releaseIfDisposed(() => browser.release());
      this.browser = browser;
      await this.evidence?.startTrace(browser.context);
    }
    const { context, page } = this.browser ?? {};
    const remote = await remoteDriverOptions(this.parameters);
    const session = await createDriver(this.parameters.client, {
      ...(context ? { browserContext: context } : {}),
      ...(page ? { page } : {}),
      ...(remote ? { remote } : {}),
      factoryContext: {
        target: { platform: this.parameters.platform, clientVersion: this.parameters.clientVersion },
        actionTimeoutMs: this.parameters.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS,
      },
    });
    await this.releaseIfDisposed(() => session.stop());
    this.session = session;
    await session.start({
      platform: this.parameters.platform,
      clientVersion: this.parameters.clientVersion,
      policyApiUrl: this.env.policyApiUrl,
      username,
      ...(this.parameters.defect ? { defect: this.parameters.defect } : {}),
    });
  }

  /**
   * A step the run's interruption let go goes on after the scenario's cleanup: what it acquires then
   * is released at once, for no one else would (a client UI left serving keeps the process alive).
   */
  private async releaseIfDisposed(release: () => Promise<void>): Promise<void> {
    if (!this.disposed) return;
    await release().catch(() => undefined);
    throwIfInterrupted('while the client started');
    throw new Error('the scenario ended while its client started');
  }

  /** What the client shows now; every view a step reads is also watched (steps/invariants.ts). */
  async view(): Promise<ClientView> {
    return this.#seen(await this.driver.view());
  }

  /** Whether a client is running (the enrolment step started one). */
  get running(): boolean {
    return this.session !== undefined;
  }

  /** Quit and start the client again, keeping its data. */
  async restart(): Promise<void> {
    await this.driver.restart();
    this.watch.restarted();
  }

  #seen(view: ClientView): ClientView {
    this.watch.saw(view);
    return view;
  }

  /** Click a control the open window must offer; ClientActionError (blocked) when it does not. */
  async click(control: string, tenant?: string): Promise<void> {
    await this.driver.act({ type: 'click', control, ...(tenant ? { tenant } : {}) });
    if (tenant) this.lastSwitch = await this.view();
  }

  /** Whether the requirement `id` applies to this scenario's target. */
  appliesHere(id: string): boolean {
    return this.parameters.applicable.includes(id);
  }

  organisationNamed(name: string): Organisation {
    const organisation = this.env.policy.organisations.find((o) => o.name === name);
    if (!organisation) {
      const known = this.env.policy.organisations.map((o) => o.name).join(', ');
      throw new Error(`no organisation named "${name}" in the fixtures (known: ${known})`);
    }
    return organisation;
  }

  organisationOf(username: string): Organisation {
    const domain = username.split('@')[1];
    const organisation = this.env.policy.organisations.find((o) => o.domain === domain);
    if (!organisation) throw new Error(`no organisation in the fixtures has the domain of "${username}"`);
    return organisation;
  }

  findUser(username: string): User {
    const user = this.organisationOf(username).users.find((u) => u.username === username);
    if (!user) throw new Error(`no user "${username}" in the fixtures`);
    return user;
  }

  /**
   * The identity provider page the client opened: waits for the client's authentication window and
   * opens its URL in the user agent, once per URL. Undefined when the client opened none (it showed
   * an error, or went on without one). An authorization URL that is no identity provider of the
   * simulated world, or another organisation's than the partner username's, or a request the
   * identity provider refuses, is judged by `wrong`: by default, the client breaking IDP-PARTNER.
   */
  async signInPage(
    wrong: (actual: string) => never = (actual) =>
      violated(this, 'IDP-PARTNER', expected.partnerSignIn, actual),
  ): Promise<SignInPage | undefined> {
    if (this.page) {
      const now = await this.view();
      // The page belongs to the authentication window it was opened for: once that window is closed
      // or shows another sign-in, the page is stale.
      const same = this.pageWindow
        ? !now.authorizationUrl && now.title === this.pageWindow.title
        : now.authorizationUrl === this.pageFor;
      if (now.window === 'authentication' && same) return this.page;
      this.#pageEnded();
    }
    const view = await this.settle(
      (v) => v.window === 'authentication' || Boolean(v.error),
      'the authentication window (or an error) after Submit',
      SIGN_IN_WINDOW_TIMEOUT_MS,
    );
    const request = view.authorizationUrl ? undefined : this.#requestInWindow(view);
    if (view.window !== 'authentication' || !(view.authorizationUrl || request)) {
      const elsewhere = this.#signInSentElsewhere();
      if (elsewhere) wrong(elsewhere);
      return undefined;
    }
    const url = view.authorizationUrl ?? request?.url ?? '';
    const origin = URL.parse(url)?.origin;
    const idp = origin === undefined ? undefined : this.#identityProviderAt(origin);
    if (!idp) wrong(`the client opened ${url}, which is no identity provider`);
    const partner = this.partnerUsername ? this.organisationOf(this.partnerUsername) : undefined;
    if (partner && idp.organisation.id !== partner.id) {
      wrong(`the client opened the identity provider of ${idp.organisation.name} (${url})`);
    }
    if (request) {
      const refused = refusalOf(request, idp.origin);
      if (refused) wrong(refused.message);
      this.page = await this.#windowUserAgent().open(url);
      this.pageFor = url;
      this.pageWindow = { title: view.title, seq: request.seq };
      return this.page;
    }
    try {
      this.page = await this.userAgent.open(url);
      this.pageFor = url;
    } catch (error) {
      if (error instanceof AuthorizationRefused) wrong(error.message);
      throw error;
    }
    return this.page;
  }

  /**
   * The sign-in page a client shows inside its own authentication window (no authorization URL, but
   * the page's Username and Password): the last authorization request an identity provider received
   * since the sign-ins that ended. Read from the identity providers, as the window cannot show it.
   */
  #requestInWindow(view: ClientView): AuthorizationRequest | undefined {
    if (view.window !== 'authentication') return undefined;
    if (!view.fields.includes('Username') || !view.fields.includes('Password')) return undefined;
    let last: AuthorizationRequest | undefined;
    for (const idp of this.env.identityProviders.values()) {
      for (const request of idp.authorizationRequests) {
        if (request.seq > this.requestsDone && request.seq > (last?.seq ?? 0)) last = request;
      }
    }
    return last;
  }

  #windowUserAgent(): ClientWindowUserAgent {
    this.windowAgent ??= new ClientWindowUserAgent({
      driver: this.driver,
      organisationAt: (origin) => this.#identityProviderAt(origin)?.organisation.name ?? '',
    });
    return this.windowAgent;
  }

  /** The simulated world's identity provider serving at `origin`, if one does. */
  #identityProviderAt(origin: string): RunningIdentityProvider | undefined {
    return [...this.env.identityProviders.values()].find((idp) => idp.origin === origin);
  }

  /** The page is gone: a later authentication window is a new sign-in. */
  #pageEnded(): void {
    if (this.pageWindow) this.requestsDone = Math.max(this.requestsDone, this.pageWindow.seq);
    this.page = undefined;
    this.pageFor = undefined;
    this.pageWindow = undefined;
  }

  /**
   * Where the client sent the partner username's sign-in when the harness saw no authentication
   * window: another organisation's identity provider that received an authorization request for it.
   */
  #signInSentElsewhere(): string | undefined {
    const username = this.partnerUsername;
    if (!username) return undefined;
    const partner = this.organisationOf(username);
    const wrongIdp = [...this.env.identityProviders.values()].find(
      (idp) =>
        idp.organisation.id !== partner.id &&
        idp.authorizationRequests.some((request) => request.loginHint === username),
    );
    return wrongIdp
      ? `the client sent the sign-in of ${username} to the identity provider of ${wrongIdp.organisation.name}`
      : undefined;
  }

  /**
   * The sign-in page, for steps that act on it: ClientActionError when the client opened none, and
   * IDP-PARTNER broken when it is not the sign-in page of the partner the username belongs to.
   */
  async requireSignInPage(): Promise<{ page: SignInPage; username: string }> {
    const page = await this.signInPage();
    if (!page) {
      throw new ClientActionError(
        `the client opened no authentication window after Submit; ${shows(await this.view())}`,
      );
    }
    const username = this.partnerUsername;
    if (!username) throw new Error('no username was entered for the partner tenant before signing in');
    const wrong = notPartnerSignIn(this, page, this.organisationOf(username).name);
    if (wrong) violated(this, 'IDP-PARTNER', expected.partnerSignIn, wrong);
    return { page, username };
  }

  /** Signs in on the identity provider's page; a redirect back to the client ends that page. */
  async signIn(credentials: { username: string; password: string }): Promise<SignInResult> {
    return this.#afterSignIn(await this.#pageAgent().signIn(credentials));
  }

  /**
   * Signs in as `username` with the right password. Still on the identity provider's own page after
   * it: the identity provider refused its own user, the simulated world failed. Still in the client's
   * window: what the client did there is for the checks that follow to judge.
   */
  async signInAsPartner(username: string): Promise<void> {
    const result = await this.signIn({ username, password: this.findUser(username).password });
    if (result.kind !== 'page' || result.page.inClientWindow) return;
    throw new Error(
      `the identity provider at ${result.page.origin} did not accept ${username}'s password: ${result.page.error ? `"${result.page.error}"` : 'no error'}`,
    );
  }

  /** Presses Cancel on the identity provider's page. */
  async cancelSignIn(): Promise<SignInResult> {
    return this.#afterSignIn(await this.#pageAgent().cancel());
  }

  #pageAgent(): UserAgent {
    return this.pageWindow ? this.#windowUserAgent() : this.userAgent;
  }

  #afterSignIn(result: SignInResult): SignInResult {
    if (result.kind === 'page') this.page = result.page;
    else this.#pageEnded();
    return result;
  }

  /**
   * Sends the client's loopback listener a forged authorization response for the sign-in it has
   * open: a real code the partner's identity provider issued for the attacker's own account (to the
   * client's client_id, or to `otherClientId` for `other-client`), with the pending state and the
   * partner's iss except where `forgery` says otherwise.
   */
  async forgeCallback(forgery: Forgery): Promise<void> {
    await this.requireSignInPage();
    const opened = URL.parse(this.pageFor ?? '');
    const redirectUri = opened?.searchParams.get('redirect_uri');
    const idp = opened ? this.#identityProviderAt(opened.origin) : undefined;
    if (!opened || !redirectUri || !idp)
      throw new Error(`no pending authorization request (${this.pageFor})`);
    const partner = this.organisationNamed(idp.organisation.name);
    const attacker = partner.users.findLast((user) => user.username !== this.partnerUsername);
    if (!attacker) throw new Error(`${partner.name} has no user but ${this.partnerUsername} in the fixtures`);
    const code = await attackerCode(
      idp.issuer,
      forgery === 'other-client' ? idp.otherClientId : idp.clientId,
      attacker,
    );
    const other = [...this.env.identityProviders.values()].find((candidate) => candidate !== idp);
    if (!other) throw new Error('the simulated world has one identity provider only');
    const state = opened.searchParams.get('state') ?? '';
    const parameters: Record<string, string> = {
      code,
      iss: forgery === 'other-issuer' ? other.issuer : idp.issuer,
    };
    if (forgery === 'wrong-state') parameters.state = `${state}-forged`;
    else if (forgery !== 'no-state') parameters.state = state;
    this.forgedCode = code;
    await sendCallback(redirectUri, parameters);
  }

  /**
   * Wait until the client shows what `predicate` accepts and return that view; when it does not
   * (it went idle, or the wait timed out, showing something else), return what it shows instead, for
   * the step to judge. Driver and protocol failures go through.
   */
  async settle(
    predicate: (view: ClientView) => boolean,
    description: string,
    timeoutMs = 3_000,
  ): Promise<ClientView> {
    try {
      return this.#seen(await this.driver.waitForView(predicate, { description, timeoutMs }));
    } catch (error) {
      if (!(error instanceof ViewNotShown)) throw error;
      return error.view ? this.#seen(error.view) : this.view();
    }
  }

  /** The policy API's record of the enrolled user's device (the latest, when enrolled twice). */
  device(): Device | undefined {
    const username = this.user?.username;
    return [...this.env.policy.devices.values()].findLast((d) => d.username === username);
  }

  /** The tunnel changes the enrolled user's client asked the policy API for, in order. */
  tunnelLog(): TunnelLogEntry[] {
    const token = this.device()?.token;
    return this.env.policy.tunnelLog.filter((entry) => entry.deviceToken === token);
  }

  /** The client's log so far; empty when no client was started. */
  async clientLog(): Promise<string[]> {
    return this.session ? (await this.session.evidence()).log : [];
  }

  /** What the client's window looks like now, when its driver has a screen. */
  async screenshot(): Promise<Buffer | undefined> {
    return this.session?.screenshot?.();
  }

  /** Keep this scenario's evidence as the run asked, then close the client and let the browser go. */
  async dispose(passed: boolean): Promise<void> {
    this.disposed = true;
    try {
      await this.evidence?.finish(passed, (data, mediaType) => this.attach(data, mediaType));
    } finally {
      await this.agent?.close();
      await this.session?.stop();
      await this.browser?.release();
    }
  }
}

/**
 * The identity provider's refusal of a request it received (RFC 6749 §4.1.2.1): an error page, or a
 * redirect back to the client with `error=`.
 */
function refusalOf(request: AuthorizationRequest, idpOrigin: string): AuthorizationRefused | undefined {
  const location = request.location ? URL.parse(request.location, request.url) : null;
  if (location && location.origin !== idpOrigin) return refusalInRedirect(request.url, location);
  return refusalPage(request.url, new URL(request.url), request.status, undefined);
}

setWorldConstructor(ConformanceWorld);
