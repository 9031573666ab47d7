/** Checks of the Add Tenant window. */
import { describeView } from '../src/drivers/describe.ts';
import type { ClientView } from '../src/drivers/types.ts';
import { ClientActionError } from '../src/verdict.ts';
import { sameSet, splitList } from './admin-settings.steps.ts';
import { check, unmet } from './check.ts';
import { namesWindow } from './observations.ts';
import { type ConformanceWorld, SIGN_IN_WINDOW_TIMEOUT_MS } from './world.ts';

async function addTenantWindow(world: ConformanceWorld): Promise<ClientView> {
  const view = await world.settle((v) => v.window === 'add-tenant', 'the Add Tenant window');
  if (view.window !== 'add-tenant')
    throw new ClientActionError(`the Add Tenant window is not open; ${describeView(view)}`);
  return view;
}

// The article names the window, not its exact title: a title that names it ("Zscaler Client
// Connector - Add Tenant") is the Add Tenant window too.
check('the Add Tenant window appears', ['AT-OPEN#opens'], 'the Add Tenant window to open', async function () {
  const view = await this.settle((v) => v.window === 'add-tenant', 'the Add Tenant window');
  if (view.window !== 'add-tenant') unmet(`the client shows ${describeView(view)}`);
  if (!namesWindow(view.title, 'Add Tenant')) unmet(`the window is titled "${view.title}"`);
});

check(
  'the Add Tenant window asks for my username instead of listing partner tenants to select',
  [
    'AT-USERNAME#asks-username',
    'AT-MAC-NO-SELECT#asks-username',
    'AT-MAC-NO-SELECT#never-lists',
    'PRE-LEGACY#domains-ignored',
  ],
  'the Add Tenant window to ask for the partner username and list no partner tenant to select',
  async function () {
    const view = await addTenantWindow(this);
    if (view.options.length > 0) unmet(`it lists partner tenants to select: ${view.options.join(', ')}`);
    if (!view.fields.includes('Username')) unmet(`it has no Username field; ${describeView(view)}`);
  },
);

check(
  'the Add Tenant window offers the partner tenants {string} to select',
  ['AT-SELECT#lists-tenants', 'PRE-DOMAIN#only-listed-offered'],
  (tenants) => `the Add Tenant window to offer exactly the partner tenants ${tenants} to select`,
  async function (tenants: string) {
    const view = await addTenantWindow(this);
    if (view.options.length === 0) unmet(`it offers no tenant to select; ${describeView(view)}`);
    if (!sameSet(view.options, splitList(tenants))) unmet(`it offers ${view.options.join(', ')}`);
  },
);

// Checked once a tenant is selected: "Select the partner tenant to access and click Connect" lets a
// client offer Connect only then (a disabled control is not offered, docs/ui-contract.md).
check(
  'the Add Tenant window offers Connect',
  ['AT-SELECT#connect'],
  'a Connect button in the Add Tenant window once a partner tenant is selected',
  async function () {
    const view = await addTenantWindow(this);
    if (!view.controls.includes('Connect')) unmet(`there is none; ${describeView(view)}`);
  },
);

// Right after Connect, so another window than the username form is the step the article describes
// not happening, not a precondition missing.
check(
  'the Add Tenant window asks for my username for the partner tenant',
  ['AT-SELECT#username-after-connect'],
  'the Add Tenant window to ask for the partner username after Connect',
  async function () {
    const view = await this.settle(
      (v) => v.window === 'add-tenant' && v.fields.includes('Username'),
      'the username form after Connect',
    );
    if (view.window !== 'add-tenant') unmet(`the client shows ${describeView(view)}`);
    if (!view.fields.includes('Username')) unmet(`it has no Username field; ${describeView(view)}`);
  },
);

// "Select the partner tenant to access and click Connect": the tenant Connect goes on with shows at
// the Submit after it, in the authentication window it opens (titled with the partner tenant's name,
// docs/ui-contract.md), or, where the identity provider has already answered and the window is gone,
// in the authorization request the selected partner's identity provider received for the username.
// Which identity provider the window shows, and what it answered, is IDP-PARTNER's business.
check(
  'the client goes on to the sign-in for the selected partner tenant {string}',
  ['AT-SELECT#connects-selected'],
  (tenant) => `Connect to go on with the selected partner tenant: the sign-in for "${tenant}" after Submit`,
  async function (tenant: string) {
    const view = await this.settle(
      (v) => v.window === 'authentication' || Boolean(v.error),
      'the authentication window (or an error) after Submit',
      SIGN_IN_WINDOW_TIMEOUT_MS,
    );
    if (view.window === 'authentication') {
      if (!view.title.includes(tenant)) unmet(`the authentication window is titled "${view.title}"`);
      return;
    }
    const idp = this.env.identityProviders.get(this.organisationNamed(tenant).id);
    const username = this.partnerUsername;
    const asked =
      username !== undefined &&
      (idp?.authorizationRequests.some((request) => request.loginHint === username) ?? false);
    if (view.window === 'add-tenant' || !asked) unmet(`the client shows ${describeView(view)}`);
  },
);

// Checked once the username is entered: "enter your username [...] and click Submit" lets a client
// offer Submit only then.
check(
  'the Add Tenant window offers Submit',
  ['AT-USERNAME#submit', 'AT-SELECT#submit', 'AT-MAC-NO-SELECT#submit'],
  'a Submit button in the Add Tenant window once the username is entered',
  async function () {
    const view = await addTenantWindow(this);
    if (!view.controls.includes('Submit')) unmet(`there is none; ${describeView(view)}`);
  },
);

check(
  'the client shows error 42035 and opens no identity provider page',
  ['PRE-DOMAIN#other-domain-refused', 'PRE-DOMAIN#before-idp'],
  'error 42035 (domain mismatch) and no identity provider page',
  async function () {
    await showsErrorBeforeIdp(this, 42035);
  },
);

check(
  'the client shows error 42001 and opens no identity provider page',
  ['AT-NO-DOMAIN#refused', 'AT-NO-DOMAIN#before-idp'],
  'error 42001 (no domain in the username) and no identity provider page',
  async function () {
    await showsErrorBeforeIdp(this, 42001);
  },
);

/** After Submit: an error that names `code`, and no authentication window. */
async function showsErrorBeforeIdp(world: ConformanceWorld, code: number): Promise<void> {
  const view = await world.settle(
    (v) => Boolean(v.error) || v.window === 'authentication',
    'an error after Submit',
  );
  if (view.window === 'authentication')
    unmet(`it opened ${view.authorizationUrl ?? 'an authentication window'}`);
  if (!new RegExp(`\\b${code}\\b`).test(view.error ?? ''))
    unmet(`it shows ${view.error ? `the error "${view.error}"` : 'no error'}`);
}
