/**
 * The checks of check-client, in the order they run: the status, a session's life cycle with each
 * action kind and the long poll, every error, the Host check, and last the schema of every answer and
 * the time each took. Each is a plain value: its id, the section of docs/driver-protocol.md, its run.
 */

import {
  actionClickCheck,
  actionFillCheck,
  actionRestartCheck,
  actionSelectCheck,
  errorNotOfferedCheck,
} from './action-checks.ts';
import { hostHeaderCheck, responseTimesCheck, schemaCheck } from './answer-checks.ts';
import type { Check } from './check.ts';
import {
  errorBadRequestCheck,
  errorBadSessionRequestCheck,
  errorBusyCheck,
  errorMethodNotAllowedCheck,
  errorNoSessionCheck,
  errorNotFoundCheck,
  errorUnsupportedCheck,
} from './error-checks.ts';
import { longPollAfterCheck, longPollChangeCheck, longPollWaitCheck } from './long-poll-checks.ts';
import { evidenceCheck, sessionEndCheck, sessionStartCheck, statusCheck } from './session-checks.ts';

export const CHECKS: readonly Check[] = [
  statusCheck,
  sessionStartCheck,
  errorBusyCheck,
  longPollWaitCheck,
  actionClickCheck,
  longPollAfterCheck,
  longPollChangeCheck,
  errorNotOfferedCheck,
  actionSelectCheck,
  actionFillCheck,
  actionRestartCheck,
  evidenceCheck,
  errorBadRequestCheck,
  errorNotFoundCheck,
  errorMethodNotAllowedCheck,
  sessionEndCheck,
  errorNoSessionCheck,
  errorUnsupportedCheck,
  errorBadSessionRequestCheck,
  hostHeaderCheck,
  schemaCheck,
  responseTimesCheck,
];
