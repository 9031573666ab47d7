/** Checks of what the Private Access window shows. */
import { describeView } from '../src/drivers/describe.ts';
import type { ClientView, TenantView } from '../src/drivers/types.ts';
import { ClientActionError } from '../src/verdict.ts';
import { splitList } from './admin-settings.steps.ts';
import { check, unmet, violated } from './check.ts';
import { expected, namesWindow, shows, tunnelsDisagree } from './observations.ts';
import type { ConformanceWorld } from './world.ts';

const ADD_PARTNER_TENANT = 'Add Partner Tenant';

/**
 * The Private Access window, for checks of what it contains: when it is not open, the flow was
 * stopped before the behaviour under test (blocked), and "not shown" must not pass by default.
 */
export async function privateAccessWindow(world: ConformanceWorld): Promise<ClientView> {
  const view = await world.settle((v) => v.window === 'private-access', 'the Private Access window');
  if (view.window !== 'private-access') {
    throw new ClientActionError(`the Private Access window is not open; ${describeView(view)}`);
  }
  return view;
}

check(
  'the Private Access window appears',
  ['PA-OPEN#opens'],
  'the Private Access window to open',
  async function () {
    const view = await this.settle((v) => v.window === 'private-access', 'the Private Access window');
    if (view.window !== 'private-access') unmet(`the client shows ${describeView(view)}`);
    if (!namesWindow(view.title, 'Private Access')) unmet(`the window is titled "${view.title}"`);
  },
);

check(
  "the Private Access window lists my organisation's tenant {string} with ZPA on",
  ['PA-OPEN#lists-main'],
  (tenant) => `the Private Access window to list the organisation's tenant "${tenant}" with ZPA on`,
  async function (tenant: string) {
    const view = await this.settle((v) => v.window === 'private-access', 'the Private Access window');
    const main = view.tenants.find((t) => t.role === 'main');
    if (!main) unmet(`it lists no tenant of the organisation; ${describeView(view)}`);
    if (main.name !== tenant) unmet(`the organisation's tenant is listed as "${main.name}"`);
    if (main.zpa !== 'on') unmet(`ZPA is ${main.zpa} for it`);
  },
);

check(
  'the Private Access window shows the Add Partner Tenant link',
  ['PRE-ORG#link-when-allowed', 'PRE-PROFILE#profile-allows', 'PRE-LEGACY#own-deny-ignored'],
  'the Add Partner Tenant link in the Private Access window',
  async function () {
    const view = await privateAccessWindow(this);
    if (!view.controls.includes(ADD_PARTNER_TENANT)) unmet(`there is no such link; ${describeView(view)}`);
  },
);

check(
  'the Private Access window does not show the Add Partner Tenant link',
  ['PRE-ORG#no-link-when-not', 'PRE-PROFILE#profile-refuses', 'PRE-LEGACY#own-allow-ignored'],
  'no Add Partner Tenant link in the Private Access window',
  async function () {
    const view = await privateAccessWindow(this);
    if (view.controls.includes(ADD_PARTNER_TENANT)) unmet(`the link is there; ${describeView(view)}`);
  },
);

check(
  'the Private Access window shows only the Add Partner Tenant link and information about the partner tenant',
  ['PA-ZIA-ONLY#no-own-tenant', 'PA-ZIA-ONLY#only-link', 'PA-ZIA-ONLY#partner-info'],
  'only the Add Partner Tenant link and information about the partner tenant',
  async function () {
    const view = await privateAccessWindow(this);
    if (view.tenants.length > 0) unmet(`it lists tenants; ${describeView(view)}`);
    if (!view.controls.includes(ADD_PARTNER_TENANT))
      unmet(`there is no Add Partner Tenant link; ${describeView(view)}`);
    const extra = view.controls.filter((c) => c !== ADD_PARTNER_TENANT && c !== 'Close');
    if (extra.length > 0) unmet(`it also offers ${extra.join(', ')}`);
    if (view.fields.length > 0 || view.options.length > 0)
      unmet(`it also asks for ${[...view.fields, ...view.options].join(', ')}`);
    if (!view.info.some((text) => /partner/i.test(text))) {
      unmet(
        `it shows no information about the partner tenant (information shown: ${view.info.join(' | ') || 'none'})`,
      );
    }
  },
);

async function listedPartner(
  world: ConformanceWorld,
  tenant: string,
): Promise<{ view: ClientView; partner: TenantView }> {
  const listed = (v: ClientView) => v.window === 'private-access' && v.tenants.some((t) => t.name === tenant);
  const view = await world.settle(listed, `the partner tenant ${tenant} in the Private Access window`);
  const partner = view.tenants.find((t) => t.role === 'partner' && t.name === tenant);
  if (view.window !== 'private-access' || !partner) unmet(`the client shows ${describeView(view)}`);
  return { view, partner };
}

// Which tenant has ZPA on right after the login is EX-PARTNER-OFF-MAIN's business, not this check's.
check(
  'the Private Access window lists the partner tenant {string}',
  ['PRE-PARTNER-SPECIFIC#admits-listed'],
  (tenant) => `the partner tenant "${tenant}" to be added to the Private Access window`,
  async function (tenant: string) {
    await listedPartner(this, tenant);
  },
);

check(
  'the Private Access window lists the partner tenant {string} with ZPA on',
  ['PRE-ZIA#can-add', 'PRE-ZIA#zpa-on'],
  (tenant) => `the partner tenant "${tenant}" to be added to the Private Access window with ZPA on`,
  async function (tenant: string) {
    const { view, partner } = await listedPartner(this, tenant);
    if (partner.zpa !== 'on') unmet(`ZPA is ${partner.zpa} for ${partner.name}`);
    const disagree = tunnelsDisagree(this, view);
    if (disagree) unmet(disagree);
  },
);

check(
  'the partner tenant {string} is still listed',
  ['PERSIST#close-reopen', 'PERSIST-RESTART#restart'],
  (tenant) => `the partner tenant "${tenant}" to remain in the Private Access window`,
  async function (tenant: string) {
    const view = await privateAccessWindow(this);
    if (!view.tenants.some((t) => t.role === 'partner' && t.name === tenant)) {
      unmet(`it is gone; ${describeView(view)}`);
    }
  },
);

check(
  'the partner tenant {string} is not listed and ZPA is still on for my organisation',
  [
    'PRE-PARTNER#nothing-added',
    'PRE-PARTNER#main-stays-on',
    'PRE-PARTNER-SPECIFIC#refuses-others',
    'PRE-DOMAIN#other-domain-refused',
    'AT-NO-DOMAIN#refused',
    'FAIL-NO-CHANGE#nothing-added',
    'FAIL-NO-CHANGE#main-unchanged',
    'CALLBACK-STATE#nothing-added',
    'CALLBACK-STATE#main-unchanged',
    'CALLBACK-ISS#nothing-added',
    'CALLBACK-ISS#main-unchanged',
    'CALLBACK-CODE#nothing-added',
    'CALLBACK-CODE#main-unchanged',
    'ID-TOKEN#nothing-added',
    'ID-TOKEN#main-unchanged',
  ],
  (tenant) => `no partner tenant "${tenant}" and ZPA still on for the organisation's tenant`,
  async function (tenant: string) {
    const view = await privateAccessWindow(this);
    if (view.tenants.some((t) => t.name === tenant)) unmet(`it is listed; ${describeView(view)}`);
    const main = view.tenants.find((t) => t.role === 'main');
    if (!main) unmet(`the organisation's tenant is no longer listed; ${describeView(view)}`);
    if (main.zpa !== 'on') unmet(`ZPA is ${main.zpa} for ${main.name}`);
    const enrolled = this.device()?.partnerTenantIds ?? [];
    if (enrolled.length > 0)
      unmet(`the client enrolled the device in ${enrolled.join(', ')} with the policy API`);
  },
);

check(
  'the client shows an error',
  [
    'PRE-PARTNER#error-shown',
    'PRE-PARTNER-SPECIFIC#refuses-others',
    'FAIL-NO-CHANGE#error-shown',
    'RETRY#after-refusal',
    'CALLBACK-STATE#error-shown',
    'CALLBACK-ISS#error-shown',
    'CALLBACK-CODE#error-shown',
    'ID-TOKEN#error-shown',
  ],
  'a visible error in the client',
  async function () {
    const view = await this.settle((v) => Boolean(v.error), 'an error in the client');
    if (!view.error) unmet(`no error is shown; ${describeView(view)}`);
  },
);

async function listedPartners(world: ConformanceWorld, tenants: string): Promise<void> {
  const wanted = splitList(tenants);
  const view = await world.settle(
    (v) => v.window === 'private-access' && wanted.every((name) => v.tenants.some((t) => t.name === name)),
    `the partner tenants ${tenants} in the Private Access window`,
  );
  // After a sign-in, another window than Private Access is IDP-RETURN's to judge, not this check's.
  if (view.window !== 'private-access') {
    violated(world, 'IDP-RETURN', expected.returnWithPartner(wanted.at(-1) ?? tenants), shows(view));
  }
  const partners = view.tenants.filter((t) => t.role === 'partner').map((t) => t.name);
  const missing = wanted.filter((name) => !partners.includes(name));
  if (missing.length > 0)
    unmet(`it lists ${missing.join(' and ')} as no partner tenant; ${describeView(view)}`);
}

check(
  'the Private Access window lists the partner tenants {string}',
  ['MULTI-PARTNER#second-added'],
  (tenants) => `the partner tenants ${tenants} listed in the Private Access window`,
  async function (tenants: string) {
    await listedPartners(this, tenants);
  },
);

check(
  'the partner tenants {string} are still listed',
  ['MULTI-PARTNER#both-stay'],
  (tenants) => `the partner tenants ${tenants} to remain in the Private Access window`,
  async function (tenants: string) {
    await privateAccessWindow(this);
    await listedPartners(this, tenants);
  },
);
