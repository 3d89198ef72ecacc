import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Key-encryption keys (KEKs): they wrap each cycle's data key (see sealing.service.ts) and are
 * never stored in the database. The first is the current one (wraps new cycle keys); the others
 * are still accepted to unwrap keys wrapped before a rotation.
 */
export interface SealingKey {
  /** Short name stored beside each wrapped key, so a rotation knows which KEK to use. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

export const SEALING_KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/**
 * Parses `id:base64,id2:base64` (the format of `CANDOR_SEALING_KEYS` and of `<dataDir>/sealing-keys`).
 * Problems are pushed with the variable's name; no key material is ever echoed.
 */
export function parseSealingKeys(raw: string, source: string, problems: string[]): SealingKey[] {
  const keys: SealingKey[] = [];
  const entries = raw
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '' && !e.startsWith('#'));
  if (entries.length === 0) problems.push(`${source} holds no key (expected id:base64 of 32 bytes, …)`);
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? entry.slice(colon + 1).trim() : '';
    const key = Buffer.from(material, 'base64');
    if (!KEY_ID.test(id)) {
      problems.push(
        `${source}: entry ${index + 1} needs an id of 1–32 letters, digits, '.', '_' or '-' before ':'`,
      );
    } else if (key.length !== SEALING_KEY_BYTES || key.toString('base64') !== material) {
      problems.push(
        `${source}: key "${id}" must be ${SEALING_KEY_BYTES} bytes of base64 (generate one with: openssl rand -base64 32)`,
      );
    } else if (keys.some((k) => k.id === id)) {
      problems.push(`${source}: key id "${id}" appears twice`);
    } else {
      keys.push({ id, key });
    }
  }
  return keys;
}

/**
 * Outside production without `CANDOR_SEALING_KEYS`: the KEK is generated once and kept in
 * `<dataDir>/sealing-keys` (mode 0600) beside the other generated secrets, so restarts can still
 * close the cycles that are open. Created atomically (write a temporary file, then link it), so
 * processes starting together agree on one key.
 */
export function loadOrCreateSealingKeys(dataDir: string, problems: string[]): SealingKey[] {
  const file = join(dataDir, 'sealing-keys');
  const read = (): SealingKey[] => parseSealingKeys(readFileSync(file, 'utf8'), file, problems);
  try {
    return read();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(
    temp,
    `# Candor key-encryption keys (first = current). Back this file up apart from the database.\n${id}:${randomBytes(SEALING_KEY_BYTES).toString('base64')}\n`,
    { mode: 0o600 },
  );
  try {
    linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
  return read();
}
