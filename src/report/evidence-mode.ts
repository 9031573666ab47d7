/** How much of what happened on screen a run keeps (evidence.ts): nothing, what failed, or all. */
export type EvidenceMode = 'none' | 'failures' | 'all';

export const EVIDENCE_MODES: readonly EvidenceMode[] = ['none', 'failures', 'all'];
