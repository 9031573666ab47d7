/**
 * Which fixture organisations and which offered partner tenants the scenarios reach, derived from
 * what their steps use (the compiled pickles, one per Examples row), not from tags that could say
 * otherwise. A gap is a partner organisation no scenario signs in to (or, where its fixture refuses
 * partner logins, sees refused), or an offered partner tenant no scenario selects and then signs in
 * to (its identity provider page appears, or it is listed after the sign-in).
 */
import { findOrganisationByDomain, findUser } from '../fixtures/load.ts';
import type { Fixtures, Organisation } from '../fixtures/types.ts';
import type { SpecScenario } from './scenarios.ts';

// The steps that say what a scenario reaches, by their text (steps/*.ts define them).
const ENROLLED = /^Zscaler Client Connector for \S+ is enrolled as "([^"]+)"$/;
const SIGNED_IN = [
  /^the identity provider page for the partner organisation "([^"]+)" appears$/,
  /^I have added the partner tenant "([^"]+)" as "[^"]+"$/,
  /^the Private Access window lists the partner tenant "([^"]+)"( with ZPA on)?$/,
  /^the Private Access window reappears and displays both my organisation's tenant "[^"]+" and the partner tenant "([^"]+)"$/,
];
const REFUSED = /^the partner tenant "([^"]+)" is not listed and ZPA is still on for my organisation$/;
const OFFERED = /^the Add Tenant window offers the partner tenants "([^"]+)" to select$/;
const SELECTED = /^I select the partner tenant "([^"]+)"$/;

export interface OptionCoverage {
  /** The partner tenants offered together, as a scenario's step lists them. */
  list: string[];
  /** Where the list is offered. */
  offeredIn: string[];
  /** Each entry, with the scenarios that select it and then reach its identity provider page. */
  selected: Map<string, string[]>;
}

export interface FixtureCoverage {
  /** By organisation id, the scenarios that enrol one of its users (its own organisation). */
  enrolled: Map<string, string[]>;
  /** By organisation id, the scenarios that sign in to a partner tenant of it. */
  signedIn: Map<string, string[]>;
  /** By organisation id, the scenarios in which its partner tenant is refused. */
  refused: Map<string, string[]>;
  options: OptionCoverage[];
  /** Organisations the steps name that the fixtures do not have. */
  unknown: string[];
}

export function fixtureCoverage(scenarios: readonly SpecScenario[], fixtures: Fixtures): FixtureCoverage {
  const coverage: FixtureCoverage = {
    enrolled: new Map(),
    signedIn: new Map(),
    refused: new Map(),
    options: [],
    unknown: [],
  };
  const byName = (name: string): Organisation | undefined => {
    const found = fixtures.organisations.find((organisation) => organisation.name === name);
    if (!found && !coverage.unknown.includes(name)) coverage.unknown.push(name);
    return found;
  };
  for (const scenario of scenarios) {
    const at = scenario.location;
    const selected: string[] = [];
    let offered: OptionCoverage | undefined;
    for (const step of scenario.steps) {
      const enrolled = ENROLLED.exec(step)?.[1];
      if (enrolled !== undefined) {
        const organisation = findUser(fixtures, enrolled)?.organisation;
        if (organisation) add(coverage.enrolled, organisation.id, at);
        else coverage.unknown.push(enrolled);
      }
      for (const pattern of SIGNED_IN) {
        const name = pattern.exec(step)?.[1];
        const organisation = name === undefined ? undefined : byName(name);
        if (!organisation) continue;
        add(coverage.signedIn, organisation.id, at);
        if (offered && selected.includes(organisation.name)) add(offered.selected, organisation.name, at);
      }
      const refused = REFUSED.exec(step)?.[1];
      const organisation = refused === undefined ? undefined : byName(refused);
      if (organisation) add(coverage.refused, organisation.id, at);
      const list = OFFERED.exec(step)?.[1];
      if (list !== undefined) offered = optionList(coverage, splitNames(list), at);
      const option = SELECTED.exec(step)?.[1];
      if (option !== undefined) selected.push(option);
    }
  }
  return coverage;
}

/** What the scenarios leave unreached; empty when every partner and every option is exercised. */
export function coverageGaps(coverage: FixtureCoverage, fixtures: Fixtures): string[] {
  const gaps = coverage.unknown.map((name) => `the steps name "${name}", which the fixtures do not have`);
  for (const organisation of fixtures.organisations) {
    if (coverage.enrolled.has(organisation.id)) continue;
    // A partner organisation: its users are never the enrolled ones.
    if (organisation.partnerLogins.allowPartnerLoginToThisTenant.mode === 'no-access') {
      if (!coverage.refused.has(organisation.id) && !coverage.signedIn.has(organisation.id))
        gaps.push(`no scenario adds or is refused a partner tenant of "${organisation.name}"`);
    } else if (!coverage.signedIn.has(organisation.id)) {
      gaps.push(`no scenario signs in to a partner tenant of "${organisation.name}" (${organisation.cloud})`);
    }
  }
  for (const { list, offeredIn, selected } of coverage.options) {
    for (const option of list) {
      if (!selected.has(option))
        gaps.push(
          `the option "${option}" of "${list.join(', ')}" (offered in ${offeredIn.join(', ')}) is never selected and then signed in to`,
        );
    }
  }
  // Every partner-domain list of an app profile in the fixtures is offered somewhere.
  for (const organisation of fixtures.organisations) {
    for (const profile of organisation.appProfiles) {
      if (profile.partnerLogin === 'follow-global' || profile.partnerLogin.partnerDomains.length === 0)
        continue;
      const names = profile.partnerLogin.partnerDomains.map(
        (domain) => findOrganisationByDomain(fixtures, domain)?.name ?? domain,
      );
      if (!coverage.options.some(({ list }) => sameSet(list, names)))
        gaps.push(
          `the partner tenants "${names.join(', ')}" of ${organisation.name}'s app profile "${profile.name}" are never offered`,
        );
    }
  }
  return gaps;
}

/** One line per organisation and option list: what reaches it. */
export function describeCoverage(coverage: FixtureCoverage, fixtures: Fixtures): string[] {
  const lines: string[] = [];
  const where = (map: Map<string, string[]>, key: string) => map.get(key)?.length ?? 0;
  for (const { id, name, cloud } of fixtures.organisations) {
    lines.push(
      `${name} (${cloud}): enrolled in ${where(coverage.enrolled, id)}, signed in to in ${where(coverage.signedIn, id)}, refused in ${where(coverage.refused, id)} scenarios`,
    );
  }
  for (const { list, selected } of coverage.options) {
    for (const option of list)
      lines.push(
        `option "${option}" of "${list.join(', ')}": selected through to sign-in in ${where(selected, option)}`,
      );
  }
  return lines;
}

function optionList(coverage: FixtureCoverage, list: string[], at: string): OptionCoverage {
  let entry = coverage.options.find((candidate) => sameSet(candidate.list, list));
  if (!entry) {
    entry = { list, offeredIn: [], selected: new Map() };
    coverage.options.push(entry);
  }
  entry.offeredIn.push(at);
  return entry;
}

function add(map: Map<string, string[]>, key: string, at: string): void {
  const list = map.get(key) ?? [];
  if (!list.includes(at)) list.push(at);
  map.set(key, list);
}

function splitNames(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
