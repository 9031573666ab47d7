export * from './contract.ts';
export { createPolicyHandlers, REQUEST_LOG_LIMIT } from './handlers.ts';
export { type HandlerSource, type PolicyApiListener, servePolicyApi } from './http-listener.ts';
export {
  appProfileOf,
  createPolicyState,
  type Device,
  type IdentityProviderConfig,
  type IdentityProviders,
  isWindowsAtLeast,
  organisationById,
  organisationByTenantId,
  type PolicyState,
  type RecordedRequest,
  setAllowUsersToLoginToOtherTenants,
  setAppProfilePartnerLogin,
  setPartnerLoginAccess,
  setRestrictOldClientVersions,
  type TunnelLogEntry,
  tenantId,
} from './state.ts';
