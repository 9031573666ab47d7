import type { Platform } from '../fixtures/types.ts';

export type RequirementLevel = 'documented' | 'inferred';

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
  source: {
    /** `seed/adding-a-partner-tenant.txt` or the URL of a related vendor page. */
    document: string;
    /** The exact sentence(s) of the document the requirement rests on. */
    quote: string;
  };
}

/** One client build on one platform: the unit a run certifies. */
export interface Target {
  platform: Platform;
  clientVersion: string;
}
