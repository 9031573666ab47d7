import type { Requirement, RequirementGroup } from './types.ts';

/** The article's sections, in its order, as a reader names them. */
export const GROUP_LABELS: Record<RequirementGroup, string> = {
  preconditions: 'Preconditions',
  'private-access': 'Private Access',
  'add-tenant': 'Add Tenant',
  'sign-in': 'Sign-in',
  switching: 'Switching tenants',
};

/** The catalog's requirements grouped by section, in the article's order, catalog order within each. */
export function groupRequirements(
  catalog: readonly Requirement[],
): { group: RequirementGroup; label: string; requirements: Requirement[] }[] {
  return (Object.keys(GROUP_LABELS) as RequirementGroup[])
    .map((group) => ({
      group,
      label: GROUP_LABELS[group],
      requirements: catalog.filter((requirement) => requirement.group === group),
    }))
    .filter((section) => section.requirements.length > 0);
}
