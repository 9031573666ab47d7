/**
 * The policy API's world for one scenario: a private copy of the organisations (steps may change
 * admin settings), the enrolled devices, their ZPA tunnels, and every request as evidence.
 */

import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type {
  AppProfile,
  AppProfilePartnerLogin,
  Fixtures,
  Organisation,
  PartnerLoginAccess,
  Platform,
  User,
} from '../../src/fixtures/types.ts';
import { compareVersions } from '../../src/version.ts';
import type { TunnelState } from './contract.ts';

export interface IdentityProviderConfig {
  issuer: string;
  clientId: string;
  jwks: { keys: JWK[] };
}

/** Keyed by organisation id. */
export type IdentityProviders = Map<string, IdentityProviderConfig>;

export interface Device {
  token: string;
  username: string;
  orgId: string;
  platform: Platform;
  clientVersion: string;
  /** Partner tenants the device is enrolled in, in enrolment order. */
  partnerTenantIds: string[];
}

export interface TunnelLogEntry {
  seq: number;
  deviceToken: string;
  tenantId: string;
  state: TunnelState;
  /** Tenant ids whose tunnel is on after this change. */
  active: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or the raw text when the body is not JSON; undefined when empty. */
  body: unknown;
  status: number;
  responseBody: unknown;
}

export interface PolicyState {
  organisations: Organisation[];
  identityProviders: IdentityProviders;
  devices: Map<string, Device>;
  /** Device token → tenant id → tunnel state. */
  tunnels: Map<string, Map<string, TunnelState>>;
  tunnelLog: TunnelLogEntry[];
  requests: RecordedRequest[];
  unhandled: RecordedRequest[];
}

/** Every organisation must have an identity provider: devices and partner lookups expose it. */
export function createPolicyState(fixtures: Fixtures, identityProviders: IdentityProviders): PolicyState {
  const missing = fixtures.organisations.filter((org) => !identityProviders.has(org.id)).map((org) => org.id);
  if (missing.length > 0) {
    throw new Error(`createPolicyState: no identity provider for organisation(s) ${missing.join(', ')}`);
  }
  return {
    organisations: structuredClone(fixtures.organisations),
    identityProviders,
    devices: new Map(),
    tunnels: new Map(),
    tunnelLog: [],
    requests: [],
    unhandled: [],
  };
}

export function tenantId(org: Organisation): string {
  return `tenant-${org.id}`;
}

export function organisationById(state: PolicyState, orgId: string): Organisation {
  const org = state.organisations.find((candidate) => candidate.id === orgId);
  if (!org) throw new Error(`unknown organisation "${orgId}"`);
  return org;
}

export function organisationByTenantId(state: PolicyState, id: string): Organisation | undefined {
  return state.organisations.find((org) => tenantId(org) === id);
}

export function organisationByDomain(state: PolicyState, domain: string): Organisation | undefined {
  const wanted = domain.toLowerCase();
  return state.organisations.find((org) => org.domain === wanted);
}

export function findUserInState(
  state: PolicyState,
  username: string,
): { organisation: Organisation; user: User } | undefined {
  const wanted = username.toLowerCase();
  for (const organisation of state.organisations) {
    const user = organisation.users.find((candidate) => candidate.username === wanted);
    if (user) return { organisation, user };
  }
  return undefined;
}

/** The user's app profile: the named one, else the organisation's first. */
export function appProfileOf(org: Organisation, user: User): AppProfile {
  const profile =
    org.appProfiles.find((candidate) => candidate.name === user.appProfile) ?? org.appProfiles[0];
  if (!profile) throw new Error(`organisation "${org.id}" has no app profile`);
  return profile;
}

export function enrolDevice(
  state: PolicyState,
  input: { username: string; orgId: string; platform: Platform; clientVersion: string },
): Device {
  const device: Device = { token: randomBytes(24).toString('base64url'), ...input, partnerTenantIds: [] };
  state.devices.set(device.token, device);
  state.tunnels.set(device.token, new Map());
  return device;
}

export function isWindowsAtLeast(
  device: Pick<Device, 'platform' | 'clientVersion'>,
  version: string,
): boolean {
  return device.platform === 'windows' && compareVersions(device.clientVersion, version) >= 0;
}

export function setAllowUsersToLoginToOtherTenants(state: PolicyState, orgId: string, allow: boolean): void {
  organisationById(state, orgId).partnerLogins.allowUsersToLoginToOtherTenants = allow;
}

export function setPartnerLoginAccess(state: PolicyState, orgId: string, access: PartnerLoginAccess): void {
  organisationById(state, orgId).partnerLogins.allowPartnerLoginToThisTenant = structuredClone(access);
}

/**
 * Turning the restriction on unenrols this tenant from partner devices other than Windows 4.7+,
 * as the vendor's "Enabling ZPA Partner Logins" page says.
 */
export function setRestrictOldClientVersions(state: PolicyState, orgId: string, restrict: boolean): void {
  const org = organisationById(state, orgId);
  org.partnerLogins.restrictOldClientVersions = restrict;
  if (!restrict) return;
  const id = tenantId(org);
  for (const device of state.devices.values()) {
    if (isWindowsAtLeast(device, '4.7') || !device.partnerTenantIds.includes(id)) continue;
    device.partnerTenantIds = device.partnerTenantIds.filter((candidate) => candidate !== id);
    state.tunnels.get(device.token)?.delete(id);
  }
}

export function setAppProfilePartnerLogin(
  state: PolicyState,
  orgId: string,
  profileName: string,
  partnerLogin: AppProfilePartnerLogin,
): void {
  const org = organisationById(state, orgId);
  const profile = org.appProfiles.find((candidate) => candidate.name === profileName);
  if (!profile) throw new Error(`organisation "${orgId}" has no app profile "${profileName}"`);
  profile.partnerLogin = structuredClone(partnerLogin);
}
