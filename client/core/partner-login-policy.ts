/**
 * How the client applies the downloaded partner-login policy. App profiles are applied by Windows
 * 4.6 and later only; older Windows clients and macOS follow the organisation-wide setting.
 */
import type { PartnerDomainOption, PartnerLoginPolicy } from '../../mocks/policy/contract.ts';
import type { Platform } from '../../src/fixtures/types.ts';
import type { DefectName } from './defects.ts';
import { versionAtLeast } from './version.ts';

export interface EffectivePartnerLogin {
  /** Users may add partner tenants. */
  allowed: boolean;
  /** The Private Access window offers Add Partner Tenant. */
  showLink: boolean;
  /** Add Tenant starts with the select-and-Connect form over these partner domains. */
  selection: boolean;
  partnerDomains: PartnerDomainOption[];
}

export const APP_PROFILE_MIN_VERSION = '4.6';
export const PRIMARY_TENANT_MIN_VERSION = '4.7';

export function effectivePartnerLogin(
  platform: Platform,
  clientVersion: string,
  policy: PartnerLoginPolicy,
  defect?: DefectName,
): EffectivePartnerLogin {
  const windowsWithProfiles =
    platform === 'windows' && versionAtLeast(clientVersion, APP_PROFILE_MIN_VERSION);
  const { appProfile } = policy;
  const ownSetting = !appProfile.followGlobal;
  // Stryker disable next-line BooleanLiteral: equivalent: the policy API's contract sends the value whenever the profile does not follow the global setting, the only case that reads it
  const profileAllows = appProfile.allowUsersToLoginToOtherTenants ?? false;
  const globalAllows = policy.global.allowUsersToLoginToOtherTenants;

  let allowed = windowsWithProfiles && ownSetting ? profileAllows : globalAllows;
  if (defect === 'profile-allow-setting-ignored' && windowsWithProfiles) allowed = globalAllows;
  if (defect === 'legacy-client-applies-profile-setting' && !windowsWithProfiles && ownSetting) {
    allowed = profileAllows;
  }
  // The macOS defect applies the profile's partner domains only, not its allow value.
  const domainsApply = windowsWithProfiles || (platform === 'macos' && defect === 'macos-offers-selection');
  const selection = domainsApply && ownSetting && allowed && appProfile.partnerDomains.length > 0;
  const showLink =
    allowed ||
    (defect === 'add-partner-link-ignores-org-setting' && appProfile.followGlobal && !globalAllows);
  // Stryker disable next-line ArrayDeclaration: equivalent: partnerDomains is read only when selection is true
  return { allowed, showLink, selection, partnerDomains: selection ? [...appProfile.partnerDomains] : [] };
}

/** Windows 4.7 and later tell the partner's tenant which primary tenant the user comes from. */
export function sendsPrimaryTenant(platform: Platform, clientVersion: string): boolean {
  return platform === 'windows' && versionAtLeast(clientVersion, PRIMARY_TENANT_MIN_VERSION);
}
