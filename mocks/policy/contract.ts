/**
 * The vendor policy API as the simulated world serves it: the calls a Client Connector makes while
 * a user adds a partner tenant. `openapi.yaml` beside this file is the same contract for people and
 * for clients written in other languages. All paths live under {@link API_BASE}.
 */
import type { Platform } from '../../src/fixtures/types.ts';

export const API_BASE = '/zcc/api/v1';

/**
 * The largest request body the policy API takes (413 PAYLOAD_TOO_LARGE beyond it). Its largest real
 * body, a partner enrolment with its ID token, is a few kilobytes.
 */
export const MAX_BODY_BYTES = 16 * 1024;

export interface ApiError {
  /** A documented authentication error code (42001, 42029, ...) or a symbolic one. */
  code: number | string;
  message: string;
}

export interface IdentityProviderRef {
  /** OpenID Connect issuer, Okta style: `http://127.0.0.1:PORT/oauth2/default`. */
  issuer: string;
  clientId: string;
}

export interface TenantInfo {
  id: string;
  name: string;
  domain: string;
  cloud: string;
  idp: IdentityProviderRef;
}

export interface PartnerDomainOption {
  domain: string;
  tenantName: string;
}

/** What the device downloads as its partner-login policy: raw settings; the client applies them. */
export interface PartnerLoginPolicy {
  global: { allowUsersToLoginToOtherTenants: boolean };
  appProfile: {
    name: string;
    followGlobal: boolean;
    /** Present when the profile does not follow the global setting. */
    allowUsersToLoginToOtherTenants?: boolean;
    partnerDomains: PartnerDomainOption[];
  };
}

/** POST /devices */
export interface EnrolRequest {
  username: string;
  platform: Platform;
  clientVersion: string;
}

/** 201 from POST /devices, 200 from GET /devices/current. */
export interface DeviceResponse {
  deviceToken: string;
  user: { username: string; displayName: string };
  tenant: TenantInfo;
  services: { zpa: boolean; zia: boolean };
  partnerLogin: PartnerLoginPolicy;
}

/** POST /partner-tenants/lookup. Clients 4.7+ on Windows send the primary tenant. */
export interface PartnerLookupRequest {
  username: string;
  primaryTenant?: { domain: string; cloud: string };
}

export interface PartnerLookupResponse {
  tenant: TenantInfo;
}

/** POST /partner-tenants: enrol the device in a partner tenant after the partner sign-in. */
export interface PartnerEnrolRequest {
  tenantId: string;
  idToken: string;
}

export interface PartnerEnrolResponse {
  tenant: TenantInfo;
}

export type TunnelState = 'on' | 'off';

/** PUT /zpa/tunnels/{tenantId} */
export interface TunnelRequest {
  state: TunnelState;
}

export interface TunnelResponse {
  tenantId: string;
  state: TunnelState;
}

/** Symbolic error codes beside the documented numeric ones. */
export const ErrorCodes = {
  noDomain: 42001,
  domainNotRecognised: 42029,
  domainMismatch: 42035,
  unknownUser: 'UNKNOWN_USER',
  unauthorised: 'UNAUTHORISED',
  partnerLoginDisabled: 'PARTNER_LOGIN_DISABLED',
  partnerLoginNotAllowed: 'PARTNER_LOGIN_NOT_ALLOWED',
  partnerTenantNotListed: 'PARTNER_TENANT_NOT_LISTED',
  invalidIdToken: 'INVALID_ID_TOKEN',
  unknownTenant: 'UNKNOWN_TENANT',
  zpaNotEnabled: 'ZPA_NOT_ENABLED',
  badRequest: 'BAD_REQUEST',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  notInContract: 'NOT_IN_CONTRACT',
  /** The mock itself failed: a harness error, never the client's fault. */
  internalError: 'INTERNAL_ERROR',
} as const;
