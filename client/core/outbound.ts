/**
 * How long the reference client waits for the policy API or an identity provider to answer one
 * request: less than the harness's default --action-timeout (10 s), so that a silent service ends the
 * client's action with an error the client shows, before the harness gives up on the client.
 */
export const OUTBOUND_TIMEOUT_MS = 5000;
