/** Checks of the identity-provider step and of what the client shows after it. */
import { describeView } from '../src/drivers/describe.ts';
import { check, unmet } from './check.ts';
import { notPartnerSignIn, shows } from './observations.ts';

check(
  'the identity provider page for the partner organisation {string} appears',
  ['IDP-PARTNER#partner-page', 'IDP-PARTNER#not-own', 'MULTI-PARTNER#own-idp'],
  (organisation) => `the identity provider page of ${organisation} after Submit`,
  async function (organisation: string) {
    const page = await this.signInPage(unmet);
    if (!page) unmet(`no identity provider page appeared; ${shows(await this.view())}`);
    const wrong = notPartnerSignIn(this, page, organisation);
    if (wrong) unmet(wrong);
  },
);

check(
  'the identity provider page shows {string}',
  ['FAIL-NO-CHANGE#wrong-password-page'],
  (text) => `the identity provider page to stay open with "${text}"`,
  async function (text: string) {
    const page = await this.signInPage();
    if (!page) unmet('no identity provider page is open');
    if (page.error !== text) unmet(`it shows ${page.error ? `"${page.error}"` : 'no error'} (${page.url})`);
    const view = await this.view();
    if (view.window !== 'authentication')
      unmet(`the client closed its authentication window: ${describeView(view)}`);
  },
);

check(
  "the Private Access window reappears and displays both my organisation's tenant {string} and the partner tenant {string}",
  [
    'IDP-RETURN#reappears',
    'IDP-RETURN#both-listed',
    'RETRY#after-cancel',
    'RETRY#after-wrong-password',
    'RETRY#after-refusal',
  ],
  (main, partner) => `the Private Access window to reappear with "${main}" and "${partner}"`,
  async function (main: string, partner: string) {
    const view = await this.settle(
      (v) => v.window === 'private-access' && v.tenants.some((t) => t.name === partner),
      'the Private Access window with the partner tenant',
    );
    if (view.window !== 'private-access') unmet(`the client shows ${describeView(view)}`);
    const names = view.tenants.map((t) => `${t.name} (${t.role})`);
    if (!view.tenants.some((t) => t.role === 'main' && t.name === main))
      unmet(`it lists ${names.join(', ')}`);
    if (!view.tenants.some((t) => t.role === 'partner' && t.name === partner))
      unmet(`it lists ${names.join(', ')}`);
  },
);

// Which identity provider it opens is IDP-PARTNER's business; this check is about the client going on.
check(
  'the client opens the sign-in for the partner tenant {string}',
  ['RETRY#corrected-username'],
  (tenant) => `the authentication window for "${tenant}" after Submit`,
  async function (tenant: string) {
    const view = await this.settle(
      (v) => v.window === 'authentication' || Boolean(v.error),
      'the authentication window (or an error) after Submit',
    );
    if (view.window !== 'authentication') unmet(`the client shows ${describeView(view)}`);
    if (!view.title.includes(tenant)) unmet(`the authentication window is titled "${view.title}"`);
  },
);

check(
  "the client does not redeem the attacker's code",
  ['CALLBACK-STATE#rejected', 'CALLBACK-ISS#rejected'],
  'the forged authorization response rejected: its code never presented at a token endpoint',
  async function () {
    const code = this.forgedCode;
    if (code === undefined) throw new Error('no forged callback was sent in this scenario');
    const where = [...this.env.identityProviders.values()].find((idp) =>
      idp.tokenRequests.some((request) => request.code === code),
    );
    if (where) {
      unmet(
        `the client redeemed the forged response's code at the token endpoint of ${where.organisation.name}`,
      );
    }
  },
);

check(
  'the client sends no ID token to the policy API',
  ['ID-TOKEN#rejected'],
  'the faulty ID token rejected by the client: not sent to the policy API',
  async function () {
    const sent = this.env.policy.requests.filter(
      (request) => request.method === 'POST' && request.path.endsWith('/partner-tenants'),
    );
    if (sent.length > 0) {
      unmet(
        `the client sent the ID token to the policy API (POST /partner-tenants, answered ${sent.map((request) => request.status).join(', ')})`,
      );
    }
  },
);
