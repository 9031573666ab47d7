/**
 * The explorer's model of the documented behaviour: deliberately small, built from the catalog's
 * requirements, not from the reference client. What a person can see after each action: the open
 * window, the tenants listed, the one whose ZPA is on.
 *
 * - PA-OPEN, PERSIST, PERSIST-RESTART, MULTI-PARTNER: every partner added stays listed, in the order
 *   added, over Close and restart; the organisation's own tenant is always listed.
 * - EX-PARTNER-OFF-MAIN, IDP-RETURN: a partner added is on, alone, and Private Access reappears.
 * - EX-MAIN-ON, EX-PARTNER-ON, EX-ONE-ACTIVE: Turn On makes that tenant the one that is on.
 * - FAIL-NO-CHANGE: a wrong password or a cancelled sign-in changes nothing.
 * - SWITCH-HOLDS, PERSIST-RESTART (inferred): what is on stays on over Close and restart.
 */

/** A partner organisation the explorer may add, with the user who signs in there. */
export interface ExplorePartner {
  name: string;
  username: string;
}

export interface ExploreModel {
  window: 'main' | 'private-access';
  /** The organisation's own tenant, listed first. */
  main: string;
  /** Partner tenants added, in order. */
  partners: string[];
  /** The tenant whose ZPA is on: the organisation's, a partner's, or none. */
  on: string | undefined;
}

/** Right after the client is enrolled and Private Access opened: the organisation's tenant is on. */
export function initialModel(main: string): ExploreModel {
  return { window: 'private-access', main, partners: [], on: main };
}

/** What is checked after every action, and the requirement each check stands for. */
export const INVARIANTS: readonly { requirement: string; rule: string }[] = [
  { requirement: 'PA-OPEN', rule: "the organisation's own tenant is always listed" },
  { requirement: 'PERSIST', rule: 'a partner tenant added stays listed over Close' },
  { requirement: 'PERSIST-RESTART', rule: 'a partner tenant added stays listed over a restart' },
  { requirement: 'MULTI-PARTNER', rule: 'every partner tenant added is listed' },
  {
    requirement: 'EX-ONE-ACTIVE',
    rule: 'at no moment is ZPA on for more than one tenant (the window, and the tunnels the client asked the policy API for)',
  },
  {
    requirement: 'EX-MAIN-ON, EX-PARTNER-ON, MULTI-PARTNER',
    rule: 'ZPA is on for the tenant last turned on or added, and off for the others, in the window and at the policy API',
  },
  { requirement: 'EX-MAIN-ON, EX-PARTNER-ON', rule: 'a tenant with ZPA off offers Turn On' },
  {
    requirement: 'FAIL-NO-CHANGE',
    rule: 'a wrong password or a cancelled sign-in adds nothing and turns nothing on or off',
  },
  { requirement: 'IDP-RETURN', rule: 'after a partner sign-in, the Private Access window reappears' },
];
