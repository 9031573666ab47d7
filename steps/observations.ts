/**
 * What a step can see the client doing wrong, as plain judgements: each returns what the client did,
 * or undefined when it is right. Checks turn an answer into `unmet`, other steps into `violated`.
 */
import { tenantId } from '../mocks/policy/state.ts';
import type { SignInPage } from '../src/agents/types.ts';
import { describeView } from '../src/drivers/describe.ts';
import type { ClientView } from '../src/drivers/types.ts';
import type { ConformanceWorld } from './world.ts';

/** What the article says should happen, wherever a step sees it not happen. */
export const expected = {
  privateAccessOpens: 'the Private Access window to open',
  addTenantOpens: 'the Add Tenant window to open',
  usernameAfterConnect: 'the Add Tenant window to ask for the partner username after Connect',
  partnerSignIn: "the partner organisation's identity provider page after Submit",
  returnWithPartner: (partner: string) =>
    `the Private Access window to reappear with the partner tenant "${partner}" after the sign-in`,
  oneTunnel: 'ZPA on for at most one tenant, in the window and in the tunnel requests, at every moment',
  remains: (partner: string) => `the partner tenant "${partner}" to remain in the Private Access window`,
  organisationListed: "the Private Access window to list the organisation's tenant with its ZPA status",
  turnOn: (tenant: string) => `ZPA on for "${tenant}" after Turn On for it`,
};

/** Whether `page` is the sign-in page of the partner organisation `organisation` (IDP-PARTNER). */
export function notPartnerSignIn(
  world: ConformanceWorld,
  page: SignInPage,
  organisation: string,
): string | undefined {
  const idp = world.env.identityProviders.get(world.organisationNamed(organisation).id);
  if (page.organisation !== organisation || page.origin !== idp?.origin) {
    return `the page that appeared is ${page.organisation || 'no organisation'}'s (${page.url})`;
  }
  if (!page.fields.includes('Username') || !page.fields.includes('Password')) {
    return `the page asks for ${page.fields.join(', ') || 'nothing'}`;
  }
  return undefined;
}

/** More than one tenant with ZPA on in the window (EX-ONE-ACTIVE). */
export function severalOnInWindow(view: ClientView): string | undefined {
  const on = view.tenants.filter((t) => t.zpa === 'on');
  return on.length > 1 ? `the window shows ZPA on for ${on.map((t) => t.name).join(' and ')}` : undefined;
}

/**
 * The first tunnel change after `afterSeq` that left more than one tunnel on, at the policy API
 * (EX-ONE-ACTIVE); with its sequence number, so a step reports each overlap once.
 */
export function tunnelOverlap(
  world: ConformanceWorld,
  afterSeq = 0,
): { seq: number; actual: string } | undefined {
  const overlap = world.tunnelLog().find((entry) => entry.seq > afterSeq && entry.active.length > 1);
  if (!overlap) return undefined;
  return {
    seq: overlap.seq,
    actual:
      `the client asked for tunnel ${overlap.tenantId} ${overlap.state} while ${overlap.active.join(' and ')} were on ` +
      `(tunnel change #${overlap.seq} at the policy API)`,
  };
}

/**
 * Where the window's ZPA status and the tunnels the client asked the policy API for disagree: ZPA on
 * in the window is that tenant's tunnel on (docs/driver-protocol.md, "What the client must do").
 */
export function tunnelsDisagree(world: ConformanceWorld, view: ClientView): string | undefined {
  const active = new Set(world.tunnelLog().at(-1)?.active ?? []);
  const names = world.env.policy.organisations.filter((o) => active.has(tenantId(o))).map((o) => o.name);
  for (const tenant of view.tenants) {
    const organisation = world.env.policy.organisations.find((o) => o.name === tenant.name);
    const id = organisation && tenantId(organisation);
    if (id === undefined || (tenant.zpa === 'on') === active.has(id)) continue;
    return `the window shows ZPA ${tenant.zpa} for ${tenant.name}, but its tunnel at the policy API is ${
      active.has(id) ? 'on' : 'off'
    } (tunnels on: ${names.join(', ') || 'none'})`;
  }
  return undefined;
}

/** Whether a window title names the window the article calls `name` ("Zscaler - Private Access" does). */
export function namesWindow(title: string, name: string): boolean {
  return title.toLowerCase().includes(name.toLowerCase());
}

export function shows(view: ClientView): string {
  return `the client shows ${describeView(view)}`;
}
