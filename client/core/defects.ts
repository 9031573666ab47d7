/**
 * The reference client's named defects. Each one, switched on alone, breaks one documented (or
 * inferred) behaviour, so that a run of the suite against it shows the suite catches it.
 */

export interface DefectInfo {
  name: string;
  /** The requirement the defect breaks. */
  requirement: string;
  /** What the client does wrong, in one sentence. */
  description: string;
  /** Other requirements the defect necessarily breaks: the suite may report them nonconforming too. */
  alsoBreaks?: readonly string[];
  /**
   * Requirements that cannot be verified once this behaviour is broken, because every scenario that
   * checks them passes through it: the suite reports them `blocked` (not verified), never `conforms`.
   * `'all'`: every other requirement.
   */
  blocks?: readonly string[] | 'all';
  /**
   * The requirements whose scenarios show the defect, for a run narrowed to them; the defect's own
   * requirement when absent. An invariant's defect may show only in other scenarios.
   */
  shownIn?: readonly string[];
  /**
   * Shows only after an order of actions no scripted scenario takes: `explore` finds it
   * (test/explore.test.ts), the scripted suite does not.
   */
  sequenceOnly?: true;
}

const AFTER_ADD_TENANT = [
  'IDP-PARTNER',
  'IDP-RETURN',
  'EX-PARTNER-OFF-MAIN',
  'EX-MAIN-ON',
  'EX-PARTNER-ON',
  'EX-ONE-ACTIVE',
  'PERSIST',
  'PERSIST-RESTART',
  'FAIL-NO-CHANGE',
  'MULTI-PARTNER',
  'RETRY',
  'SWITCH-HOLDS',
  'CALLBACK-STATE',
  'CALLBACK-ISS',
  'CALLBACK-CODE',
  'ID-TOKEN',
] as const;

/** Blocked when no partner sign-in page appears (or not the partner's): everything behind the sign-in. */
const AFTER_SIGN_IN = [
  'PRE-ZIA',
  'PRE-PARTNER-SPECIFIC',
  ...AFTER_ADD_TENANT.filter((id) => id !== 'IDP-PARTNER'),
] as const;

const DEFECT_LIST = [
  {
    name: 'add-partner-link-ignores-org-setting',
    requirement: 'PRE-ORG',
    description:
      'Shows the Add Partner Tenant link when the app profile follows the global setting and the global setting does not allow users to log in to other tenants.',
  },
  {
    name: 'partner-refusal-not-shown',
    requirement: 'PRE-PARTNER',
    description:
      'When the partner organisation refuses the login (PARTNER_LOGIN_NOT_ALLOWED), goes back to the Private Access window silently, with no error.',
    // A second attempt is refused as silently as the first.
    alsoBreaks: ['RETRY'],
  },
  {
    name: 'primary-tenant-not-sent',
    requirement: 'PRE-PARTNER-SPECIFIC',
    description:
      'Windows 4.7+ omits the primary tenant from the partner lookup, so a partner set to Specific Tenants cannot admit its listed tenants.',
  },
  {
    name: 'profile-allow-setting-ignored',
    requirement: 'PRE-PROFILE',
    description:
      "On Windows 4.6+, ignores the app profile's own allow value and applies the global one (the profile's partner domains still apply).",
    blocks: ['PRE-PARTNER-SPECIFIC'],
  },
  {
    name: 'partner-domain-not-enforced',
    requirement: 'PRE-DOMAIN',
    description:
      "In the select-and-Connect flow, accepts a username whose domain is not the selected partner tenant's (no error 42035).",
    blocks: ['RETRY'],
  },
  {
    name: 'no-domain-shown-as-mismatch',
    requirement: 'AT-NO-DOMAIN',
    description:
      'In the select-and-Connect flow, answers a username with no domain with the domain mismatch 42035 instead of 42001 (the username form still gets 42001 from the policy API).',
  },
  {
    name: 'legacy-client-applies-profile-setting',
    requirement: 'PRE-LEGACY',
    description:
      "On Windows before 4.6 and on macOS, applies the app profile's own allow value instead of the global setting (not its partner domains).",
  },
  {
    name: 'zia-only-refuses-partner-login',
    requirement: 'PRE-ZIA',
    description:
      'For an organisation that uses only ZIA, Submit shows "Error 42002: Private Access is not configured for your company." without looking the partner up.',
    // PERSIST-RESTART's ZIA-only scenario adds a partner tenant first.
    blocks: ['PERSIST-RESTART'],
  },
  {
    name: 'zia-only-partner-zpa-off',
    requirement: 'PRE-ZIA',
    description:
      'For an organisation that uses only ZIA, adds the partner tenant with ZPA off (no tunnel call), so it is listed but not on.',
  },
  {
    name: 'zia-only-partner-info-missing',
    requirement: 'PA-ZIA-ONLY',
    description:
      'For an organisation that uses only ZIA, the Private Access window shows no information about the partner tenant.',
  },
  {
    name: 'private-access-does-not-open',
    requirement: 'PA-OPEN',
    description:
      'Clicking Private Access leaves the main window showing; every other requirement is checked behind that window, so all of them are blocked.',
    blocks: 'all',
  },
  {
    name: 'add-partner-link-inert',
    requirement: 'AT-OPEN',
    description:
      'Clicking Add Partner Tenant does nothing: the Add Tenant window never appears, which blocks every requirement checked in or after it.',
    blocks: [
      'PRE-PARTNER',
      'PRE-PARTNER-SPECIFIC',
      'PRE-DOMAIN',
      'PRE-ZIA',
      'PRE-LEGACY',
      'AT-USERNAME',
      'AT-SELECT',
      'AT-MAC-NO-SELECT',
      'AT-NO-DOMAIN',
      ...AFTER_ADD_TENANT,
    ],
  },
  {
    name: 'username-form-without-submit',
    requirement: 'AT-USERNAME',
    description:
      'The first username form of the Add Tenant window offers "Next" instead of "Submit" (Next works like Submit; the form after Connect keeps Submit); the username flows behind Submit are blocked.',
    // macOS's username form is that form too: AT-MAC-NO-SELECT asks for its Submit.
    alsoBreaks: ['AT-MAC-NO-SELECT'],
    blocks: ['PRE-PARTNER', 'PRE-PARTNER-SPECIFIC', 'PRE-ZIA', 'AT-NO-DOMAIN', ...AFTER_ADD_TENANT],
  },
  {
    name: 'selection-without-connect',
    requirement: 'AT-SELECT',
    description:
      'The partner tenant selection form offers "Next" instead of "Connect" (Next works like Connect).',
    blocks: ['RETRY', 'PRE-DOMAIN', 'AT-NO-DOMAIN', 'IDP-PARTNER', 'IDP-RETURN'],
  },
  {
    name: 'selection-skips-username',
    requirement: 'AT-SELECT',
    description:
      "In the select-and-Connect flow, Connect skips the username step: it opens the selected partner's identity provider at once, with the user's own name at the partner's domain. Whatever the flow had to check after Connect is blocked.",
    blocks: ['RETRY', 'PRE-DOMAIN', 'AT-NO-DOMAIN', 'IDP-PARTNER', 'IDP-RETURN'],
  },
  {
    name: 'connect-uses-first-option',
    requirement: 'AT-SELECT',
    description:
      'Connect goes on with the first partner tenant listed whatever is selected, so a username of the selected one (any but the first) gets error 42035; the sign-in that scenario had still to check is blocked.',
    blocks: ['IDP-PARTNER', 'IDP-RETURN'],
  },
  {
    name: 'macos-offers-selection',
    requirement: 'AT-MAC-NO-SELECT',
    description:
      "On macOS, applies the app profile's partner domains, so it shows the select-and-Connect form when the profile lists partner domains.",
  },
  {
    name: 'opens-own-idp',
    requirement: 'IDP-PARTNER',
    description:
      "The sign-in opens the identity provider of the user's own organisation instead of the partner's; everything after the sign-in is blocked.",
    blocks: AFTER_SIGN_IN,
  },
  {
    name: 'authorization-without-pkce',
    requirement: 'IDP-PARTNER',
    description:
      'The authorization request carries no PKCE code challenge (RFC 7636), so the identity provider refuses it and sends the error back; everything after the sign-in is blocked.',
    blocks: AFTER_SIGN_IN,
  },
  {
    name: 'redirect-uri-not-registered',
    requirement: 'IDP-PARTNER',
    description:
      'The loopback redirect URI has the path /callback, which the identity provider does not accept, so it shows its error page instead of the sign-in page; everything after the sign-in is blocked.',
    blocks: AFTER_SIGN_IN,
  },
  {
    name: 'authorization-without-state',
    requirement: 'IDP-PARTNER',
    description:
      'The authorization request has no state parameter, which the identity provider requires, so it refuses the request; everything after the sign-in is blocked.',
    blocks: AFTER_SIGN_IN,
  },
  {
    name: 'other-cloud-partner-not-found',
    requirement: 'IDP-PARTNER',
    description:
      'Looks the partner tenant up on its own Zscaler cloud only: a partner on another cloud gets "Error 42029" and no sign-in page (seen only with the partner on another cloud).',
    blocks: ['IDP-RETURN'],
  },
  {
    name: 'main-window-after-sign-in',
    requirement: 'IDP-RETURN',
    description:
      'After a successful partner sign-in, shows the main window instead of the Private Access window (the tenants and tunnels are otherwise right).',
    blocks: ['EX-PARTNER-OFF-MAIN', 'EX-ONE-ACTIVE', 'MULTI-PARTNER'],
  },
  {
    name: 'partner-login-keeps-main-on',
    requirement: 'EX-PARTNER-OFF-MAIN',
    description:
      'After the partner sign-in, adds the partner tenant with ZPA off and leaves the main tenant on (no tunnel calls).',
    // A ZIA-only organisation's partner tenant is then listed with ZPA off too.
    alsoBreaks: ['PRE-ZIA'],
    blocks: ['EX-ONE-ACTIVE', 'MULTI-PARTNER'],
  },
  {
    name: 'turn-on-main-leaves-partner-on',
    requirement: 'EX-MAIN-ON',
    description:
      'Turn On for the main tenant turns it on without turning the partner tenant off, so two tunnels are active at once.',
    alsoBreaks: ['EX-ONE-ACTIVE'],
    blocks: ['EX-ONE-ACTIVE', 'SWITCH-HOLDS'],
  },
  {
    name: 'partner-turn-on-ignored',
    requirement: 'EX-PARTNER-ON',
    description: 'Turn On for a partner tenant does nothing: no tunnel call, no change.',
    // SWITCH-HOLDS's scenario turns the partner on before it checks the rest.
    blocks: ['EX-ONE-ACTIVE', 'SWITCH-HOLDS'],
    // Turn On for a partner is also how one switches from one partner to another.
    alsoBreaks: ['MULTI-PARTNER'],
  },
  {
    name: 'tunnels-overlap-while-switching',
    requirement: 'EX-ONE-ACTIVE',
    description:
      'When switching tenants (after a partner sign-in and on Turn On), turns the new tunnel on before turning the old one off (the end state is right).',
  },
  {
    name: 'turn-off-keeps-tunnel',
    requirement: 'EX-ONE-ACTIVE',
    description:
      "Turn Off shows the tenant's ZPA off but never asks the service to take its tunnel down, so the next Turn On leaves two tunnels up (seen while a Given arranges which tenant is on).",
  },
  {
    name: 'restart-reconnects-main',
    requirement: 'EX-ONE-ACTIVE',
    description:
      "On a restart, brings the organisation's tunnel up again as at enrolment, without taking the partner's down, so two tunnels are on (seen only after a restart, which no EX-ONE-ACTIVE scenario does).",
    shownIn: ['PERSIST-RESTART'],
  },
  {
    name: 'second-partner-replaces-first',
    requirement: 'MULTI-PARTNER',
    description:
      'Keeps one partner tenant only: adding a second one replaces the first in the list and in state.json.',
    // The first partner tenant leaves the list: the invariant of PERSIST sees it.
    alsoBreaks: ['PERSIST'],
  },
  {
    name: 'second-sign-in-at-first-idp',
    requirement: 'MULTI-PARTNER',
    description:
      'The sign-in for a second partner tenant opens the identity provider of the partner added first; the rest of that flow is blocked.',
    // Another organisation's identity provider is not the partner's.
    alsoBreaks: ['IDP-PARTNER'],
  },
  {
    name: 'partner-switch-leaves-partner-on',
    requirement: 'MULTI-PARTNER',
    description:
      "When a partner tenant's ZPA comes on (Turn On or its sign-in), turns the organisation's tenant off but not another partner tenant, so two tunnels are on (seen only with two partners).",
    alsoBreaks: ['EX-ONE-ACTIVE'],
  },
  {
    name: 'partner-forgotten-on-close',
    requirement: 'PERSIST',
    description:
      'Clicking Close in the Private Access window drops the partner tenants from memory, so reopening it lists only the main tenant (state.json is left as it was).',
    // Both partner tenants are dropped.
    alsoBreaks: ['MULTI-PARTNER'],
    // SWITCH-HOLDS's scenario switches to the partner tenant after a reopen.
    blocks: ['SWITCH-HOLDS'],
  },
  {
    name: 'partner-not-saved',
    requirement: 'PERSIST-RESTART',
    description: 'Never writes partner tenants to state.json, so a restarted client has lost them.',
    // Both partner tenants are lost.
    alsoBreaks: ['MULTI-PARTNER'],
  },
  {
    name: 'retry-after-cancel-refused',
    requirement: 'RETRY',
    description:
      'After a cancelled sign-in, refuses another for the same partner tenant: Submit shows "A sign-in to … is already in progress." (seen only on a second attempt).',
  },
  {
    name: 'username-fix-ignored',
    requirement: 'RETRY',
    description:
      'After error 42035, keeps refusing in the same window: a corrected username submitted there gets 42035 again (seen only on a second attempt).',
  },
  {
    name: 'retry-after-closed-window-refused',
    requirement: 'RETRY',
    description:
      'After the authentication window was closed (a wrong password, then Close), refuses another sign-in for that partner tenant: the closed attempt still counts as in progress (seen only on a second attempt).',
  },
  {
    name: 'partner-refusal-remembered',
    requirement: 'RETRY',
    description:
      "Remembers a partner organisation's refusal (PARTNER_LOGIN_NOT_ALLOWED) and shows it again without asking the service, even once the partner allows partner logins (seen only on a second attempt).",
  },
  {
    name: 'reopen-shows-stale-zpa',
    requirement: 'SWITCH-HOLDS',
    description:
      'The Private Access window, opened again, shows the ZPA status each tenant had when it was first opened again after the partner was added, not what the last switch left (seen only after a reopen).',
  },
  {
    name: 'turn-off-ignored',
    requirement: 'SWITCH-HOLDS',
    description: 'Turn Off for a partner tenant does nothing: its ZPA stays on.',
  },
  {
    name: 'turn-on-main-not-requested',
    requirement: 'EX-MAIN-ON',
    description:
      "Turn On for the main tenant shows its ZPA on and the partner's off without asking the service for either tunnel.",
    // EX-MAIN-ON's scenario checks EX-ONE-ACTIVE after the switch it stops at.
    blocks: ['EX-ONE-ACTIVE'],
  },
  {
    name: 'enrolment-refusal-not-shown',
    requirement: 'FAIL-NO-CHANGE',
    description:
      'When the partner organisation refuses the enrolment (PARTNER_LOGIN_NOT_ALLOWED) after its identity provider redirected back, leaves the authentication window open with no error.',
  },
  {
    name: 'callback-state-not-checked',
    requirement: 'CALLBACK-STATE',
    description:
      "Takes the loopback callback's state on trust: a callback with a wrong state, or none, is redeemed at the token endpoint as if it answered the pending request.",
  },
  {
    name: 'callback-iss-not-checked',
    requirement: 'CALLBACK-ISS',
    description:
      "Ignores the iss of the loopback callback (RFC 9207): a callback naming another identity provider is redeemed at the partner's token endpoint.",
  },
  {
    name: 'token-error-not-shown',
    requirement: 'CALLBACK-CODE',
    description:
      'When the token endpoint refuses the authorization code, goes back to the Private Access window silently, with no error.',
  },
  {
    name: 'id-token-audience-not-checked',
    requirement: 'ID-TOKEN',
    description:
      "Uses an ID token whose aud does not name the client's client_id: it sends it to the policy API to enrol.",
  },
  {
    name: 'id-token-nonce-not-checked',
    requirement: 'ID-TOKEN',
    description:
      "Uses an ID token whose nonce is not the authorization request's: the policy API, which cannot know the nonce, enrols the device and the partner tenant is added.",
  },
  {
    name: 'id-token-expiry-not-checked',
    requirement: 'ID-TOKEN',
    description: 'Uses an expired ID token: it sends it to the policy API to enrol.',
  },
  {
    name: 'id-token-refusal-not-shown',
    requirement: 'ID-TOKEN',
    description:
      "When the policy API refuses the ID token (INVALID_ID_TOKEN: a signature the identity provider's keys do not verify), goes back to the Private Access window silently, with no error.",
  },
  {
    name: 'partner-added-after-restart-not-saved',
    requirement: 'PERSIST-RESTART',
    description:
      'Does not write to state.json a partner tenant added after the client was restarted, so the next restart loses it.',
    sequenceOnly: true,
  },
  {
    name: 'turn-on-main-after-restart-overlaps',
    requirement: 'EX-ONE-ACTIVE',
    description:
      "After a restart, Turn On for the main tenant turns the main tenant's tunnel on before the partner's off: two tunnels on for a moment.",
    sequenceOnly: true,
  },
  {
    name: 'second-partner-turn-off-ignored',
    requirement: 'SWITCH-HOLDS',
    description: 'Turn Off does nothing for the second partner tenant added: its ZPA stays on.',
    sequenceOnly: true,
  },
  {
    name: 'main-off-after-failed-sign-in',
    requirement: 'FAIL-NO-CHANGE',
    description:
      "Turns the main tenant's ZPA off when the partner sign-in starts and does not turn it back on when the sign-in is cancelled or fails.",
    // A forged or faulty sign-in fails too, and must leave the organisation's tenant as it was.
    alsoBreaks: ['CALLBACK-STATE', 'CALLBACK-ISS', 'CALLBACK-CODE', 'ID-TOKEN'],
  },
] as const satisfies readonly DefectInfo[];

export type DefectName = (typeof DEFECT_LIST)[number]['name'];

export const DEFECTS: readonly DefectInfo[] = DEFECT_LIST;

/** The defects the scripted suite shows: all but the sequence-only ones, which `explore` finds. */
export const SCRIPTED_DEFECTS: readonly DefectInfo[] = DEFECTS.filter((defect) => !defect.sequenceOnly);

export function isDefectName(name: string): name is DefectName {
  return DEFECTS.some((defect) => defect.name === name);
}

/** The defect to switch on, checked: an unknown name is refused with the list of known ones. */
export function checkDefect(name: string | undefined): DefectName | undefined {
  if (name === undefined || name === '') return undefined;
  if (isDefectName(name)) return name;
  throw new Error(
    `unknown defect "${name}"; known defects: ${DEFECTS.map((defect) => defect.name).join(', ')}`,
  );
}
