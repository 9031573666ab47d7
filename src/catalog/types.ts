import type { Platform } from '../fixtures/types.ts';

/**
 * `documented`: the article or a related vendor page says it; `inferred`: implied by them;
 * `standard`: a standard the sign-in rests on (an RFC, OpenID Connect) says it, not the article.
 */
export type RequirementLevel = 'documented' | 'inferred' | 'standard';

export type RequirementGroup = 'preconditions' | 'private-access' | 'add-tenant' | 'sign-in' | 'switching';

/** Where a requirement applies: a platform, optionally a version range [minVersion, belowVersion). */
export interface Applicability {
  platform: Platform;
  minVersion?: string;
  belowVersion?: string;
}

export interface Requirement {
  id: string;
  title: string;
  group: RequirementGroup;
  level: RequirementLevel;
  appliesTo: Applicability[];
  /** The behaviour a conforming client shows, stated as a checkable sentence. */
  behaviour: string;
  /** The behaviour in the parts a check verifies; each is named by checks as `ID#clause`. */
  clauses: Clause[];
  source: {
    /** `seed/adding-a-partner-tenant.txt`, the URL of a related vendor page, or of a standard's section. */
    document: string;
    /** The exact sentence(s) of the document the requirement rests on. */
    quote: string;
  };
}

/** One checkable part of a requirement's behaviour. */
export interface Clause {
  /** Unique within the requirement, e.g. "zpa-on". */
  id: string;
  /** The clause, as a sentence. */
  says: string;
  /** Where the checks read the clause more precisely than its sentence, and why. */
  reading?: string;
}

/** One client build on one platform: the unit a run certifies. */
export interface Target {
  platform: Platform;
  clientVersion: string;
}
