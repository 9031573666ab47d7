/**
 * Several Cucumber runs of one target (its shards) as the message stream of one run. Each run
 * emitted the same features, pickles, step definitions and hooks, under ids of its own (UUIDs): the
 * first run's are kept, the others' are mapped onto them, so that every test case refers to the
 * one pickle of its scenario. One testRunStarted, one testRunFinished (successful only if every run
 * was); test cases, their steps and attachments, and the runs' BeforeAll/AfterAll hooks are kept.
 */
import type { Envelope, Timestamp } from '@cucumber/messages';

export class StreamMergeError extends Error {
  override name = 'StreamMergeError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ID_KEY = /^(id|.+Ids?)$/;

/** The key under which the same definition is recognised in each run, or undefined for events. */
function definitionKey(envelope: Envelope): string | undefined {
  if (envelope.meta) return 'meta';
  if (envelope.testRunStarted) return 'testRunStarted';
  if (envelope.source) return `source ${envelope.source.uri}`;
  if (envelope.gherkinDocument) return `gherkinDocument ${envelope.gherkinDocument.uri}`;
  // Its AST node ids are already mapped to the first run's when this is read.
  if (envelope.pickle) return `pickle ${envelope.pickle.uri} ${envelope.pickle.astNodeIds.join(' ')}`;
  if (envelope.parameterType) return `parameterType ${envelope.parameterType.name}`;
  if (envelope.undefinedParameterType) {
    const { name, expression } = envelope.undefinedParameterType;
    return `undefinedParameterType ${name} ${expression}`;
  }
  const reference = envelope.stepDefinition?.sourceReference ?? envelope.hook?.sourceReference;
  if (reference !== undefined) {
    const where = `${reference.uri ?? ''}:${reference.location?.line ?? ''}`;
    if (envelope.stepDefinition) return `stepDefinition ${where} ${envelope.stepDefinition.pattern.source}`;
    if (envelope.hook)
      return `hook ${where} ${envelope.hook.type ?? ''} ${envelope.hook.tagExpression ?? ''}`;
  }
  return undefined;
}

function mapIds(value: Json, ids: ReadonlyMap<string, string>, key = ''): Json {
  if (typeof value === 'string') return ID_KEY.test(key) ? (ids.get(value) ?? value) : value;
  if (Array.isArray(value)) return value.map((item) => mapIds(item, ids, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapIds(v, ids, k)]));
  }
  return value;
}

/** Records how `other`'s ids map onto `kept`'s; throws if they differ in anything but ids. */
function unify(kept: Json, other: Json, ids: Map<string, string>, what: string, key = ''): void {
  if (typeof kept === 'string' && typeof other === 'string' && ID_KEY.test(key)) {
    if (kept !== other) ids.set(other, kept);
    return;
  }
  if (Array.isArray(kept) && Array.isArray(other) && kept.length === other.length) {
    kept.forEach((item, index) => {
      unify(item, other[index] ?? null, ids, what, key);
    });
    return;
  }
  if (kept !== null && other !== null && typeof kept === 'object' && typeof other === 'object') {
    if (!Array.isArray(kept) && !Array.isArray(other)) {
      const keys = Object.keys(kept);
      if (keys.length === Object.keys(other).length && keys.every((k) => k in other)) {
        for (const k of keys) unify(kept[k] ?? null, other[k] ?? null, ids, what, k);
        return;
      }
    }
  }
  if (kept !== other) throw new StreamMergeError(`the runs differ in ${what}`);
}

function later(a: Timestamp, b: Timestamp): boolean {
  return a.seconds > b.seconds || (a.seconds === b.seconds && a.nanos > b.nanos);
}

/**
 * One stream of `runs` (each a whole Cucumber run of the same target). Throws StreamMergeError when
 * they ran different features or support code, or when two of them ran the same scenario.
 */
export function mergeMessageStreams(runs: readonly Envelope[][]): Envelope[] {
  const kept = new Map<string, Envelope>();
  const merged: Envelope[] = [];
  const ranIn = new Map<string, number>();
  const finished: NonNullable<Envelope['testRunFinished']>[] = [];
  runs.forEach((run, runIndex) => {
    const ids = new Map<string, string>();
    for (const original of run) {
      const envelope = mapIds(original as unknown as Json, ids) as unknown as Envelope;
      if (envelope.testRunFinished) {
        finished.push(envelope.testRunFinished);
        continue;
      }
      const key = definitionKey(envelope);
      const first = key === undefined ? undefined : kept.get(key);
      if (key !== undefined && first !== undefined) {
        if (!envelope.meta && !envelope.testRunStarted) {
          unify(first as unknown as Json, envelope as unknown as Json, ids, key);
        } else if (envelope.testRunStarted && first.testRunStarted) {
          ids.set(envelope.testRunStarted.id ?? '', first.testRunStarted.id ?? '');
          if (later(first.testRunStarted.timestamp, envelope.testRunStarted.timestamp)) {
            first.testRunStarted.timestamp = envelope.testRunStarted.timestamp;
          }
        }
        continue;
      }
      if (key !== undefined) kept.set(key, envelope);
      const pickleId = envelope.testCase?.pickleId;
      if (pickleId !== undefined) {
        const earlier = ranIn.get(pickleId);
        if (earlier !== undefined && earlier !== runIndex) {
          const pickle = [...kept.values()].find((e) => e.pickle?.id === pickleId)?.pickle;
          const where = pickle === undefined ? pickleId : `${pickle.uri} "${pickle.name}"`;
          throw new StreamMergeError(`scenario ${where} ran in two of them`);
        }
        ranIn.set(pickleId, runIndex);
      }
      merged.push(envelope);
    }
  });
  const last = finished.reduce<(typeof finished)[number] | undefined>(
    (latest, run) => (latest === undefined || later(run.timestamp, latest.timestamp) ? run : latest),
    undefined,
  );
  if (last !== undefined) {
    const failure = finished.find((run) => !run.success);
    merged.push({
      testRunFinished: {
        ...last,
        success: failure === undefined,
        ...(failure?.message !== undefined ? { message: failure.message } : {}),
        ...(failure?.exception !== undefined ? { exception: failure.exception } : {}),
      },
    });
  }
  return merged;
}
