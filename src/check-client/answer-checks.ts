/** What holds for every answer: the Host check, the schemas, the time each took. */
import { BASE_PATH } from '../protocol/ccdp.ts';
import { type Check, fail, needTarget, pass, warn } from './check.ts';
import { DOC, getStatus } from './requests.ts';

export const hostHeaderCheck: Check = {
  id: 'host-check',
  section: `${DOC}#conventions`,
  async run(context) {
    needTarget(context);
    const answer = await getStatus(context, { host: 'rebound.example:80' });
    if (
      answer.status === 400 &&
      answer.problems.length === 0 &&
      (answer.json as { code?: string }).code === 'BAD_REQUEST'
    ) {
      return pass('400 BAD_REQUEST for Host: rebound.example:80');
    }
    // The docs say SHOULD: a warning, not a failure.
    return warn(
      `Host: rebound.example:80 got ${answer.status ?? answer.noAnswer}, not 400 BAD_REQUEST: a page on another host could reach the adapter (DNS rebinding)`,
    );
  },
};

export const schemaCheck: Check = {
  id: 'schema',
  section: `${DOC}#faults`,
  async run(context) {
    needTarget(context);
    const off = context.probe.answers.filter((answer) => answer.problems.length > 0);
    if (off.length > 0) {
      const [first] = off;
      return fail(
        `${off.length} of ${context.probe.answers.length} answers off the schema, e.g. ${first?.where}: ${first?.problems.join('; ')}`,
      );
    }
    return pass(`all ${context.probe.answers.length} answers match their schemas`);
  },
};

export const responseTimesCheck: Check = {
  id: 'response-times',
  section: `${DOC}#conventions`,
  async run(context) {
    needTarget(context);
    const { answers } = context.probe;
    const late = answers.filter((answer) => answer.status === undefined || answer.ms > answer.limitMs);
    if (late.length > 0) {
      const [first] = late;
      return fail(
        `${late.length} requests not answered in time, e.g. ${first?.where}: ${first?.noAnswer ?? `${first?.ms} ms`}`,
      );
    }
    const quick = answers.filter((answer) => answer.where.endsWith('/status')).map((answer) => answer.ms);
    const typical = median(quick);
    if (typical >= context.timing.slowMs) {
      return warn(
        `GET ${BASE_PATH}/status takes ${typical} ms typically on loopback: a response written in pieces with Nagle's algorithm on stalls for the peer's delayed ACK (~40 ms); send each response in one write or set TCP_NODELAY`,
      );
    }
    const timed = answers.filter((answer) => answer.limitMs === context.probe.actionTimeoutMs);
    const slowest = timed.reduce((worst, answer) => (answer.ms > worst.ms ? answer : worst), {
      ms: 0,
      where: 'none',
    });
    return pass(
      `every answer in time; status ${typical} ms typically; the slowest: ${slowest.where}, ${slowest.ms} ms`,
    );
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
