/** The reference Client Connector: public exports. */
export {
  checkDefect,
  DEFECTS,
  type DefectInfo,
  type DefectName,
  isDefectName,
  SCRIPTED_DEFECTS,
} from './core/defects.ts';
export {
  CALLBACK_PATH,
  type CallbackReply,
  type LoopbackListener,
  listenForCallback,
} from './core/loopback.ts';
export {
  APP_PROFILE_MIN_VERSION,
  type EffectivePartnerLogin,
  effectivePartnerLogin,
  PRIMARY_TENANT_MIN_VERSION,
  sendsPrimaryTenant,
} from './core/partner-login-policy.ts';
export {
  loadState,
  type PersistedPartner,
  type PersistedState,
  STATE_FILE,
  saveState,
} from './core/persistence.ts';
export {
  createPolicyApi,
  type PolicyApi,
  PolicyApiError,
  type PolicyApiFactory,
  type PolicyApiOptions,
} from './core/policy-api.ts';
export {
  AUTHENTICATIONS,
  type Authentication,
  PARTNER_TENANT_INFO,
  ReferenceClient,
  type ReferenceClientDeps,
  type ReferenceClientOptions,
  type ReferenceClientSettings,
  TITLES,
} from './core/reference-client.ts';
export { type SignInFactory, type SignInRequest, type SignInSession, startSignIn } from './core/sign-in.ts';
export { compareVersions, isVersion, versionAtLeast } from './core/version.ts';
