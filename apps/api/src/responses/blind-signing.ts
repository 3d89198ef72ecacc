import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  privateDecrypt,
  publicEncrypt,
  verify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';

/**
 * RFC 9474 blind RSA signatures (RSABSSA-SHA384-PSS-Randomized).
 *
 * - Client side (browser): prepare, blind and finalize with @cloudflare/blindrsa-ts.
 * - Verification (server, at submit): RSASSA-PSS Verify through OpenSSL (`verifyToken`), the
 *   operation the library's `verify` asks WebCrypto for.
 * - Blind signing (server, at token issue): the raw RSA private operation s = m^d mod n through
 *   OpenSSL (`privateDecrypt` with no padding), which is what RFC 9474 §4.3 BlindSign is. The
 *   library does this in JavaScript big-integer arithmetic (~300 ms per signature); OpenSSL takes
 *   well under a millisecond. As the RFC requires, the result is checked (s^e mod n = m) before
 *   it is returned. See docs/adr/0001-blind-signatures.md.
 */
export const MODULUS_BITS = 2048;
export const MODULUS_BYTES = MODULUS_BITS / 8;
/** RFC 9474 randomized preparation: 32 random bytes prefixed to our 32-byte random message. */
export const TOKEN_BYTES = 64;

const generate = promisify(generateKeyPair);

export interface CycleKeyPair {
  publicKeySpki: string;
  privateKeyPkcs8: string;
}

export async function generateCycleKeyPair(): Promise<CycleKeyPair> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: MODULUS_BITS,
    publicExponent: 65537,
  });
  return {
    publicKeySpki: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyPkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export class BlindSignError extends Error {}

/** RFC 9474 BlindSign. Throws BlindSignError for a message that is not a valid blinded value. */
export function blindSign(privateKeyPem: string, publicKeySpki: string, blinded: Buffer): Buffer {
  if (blinded.length !== MODULUS_BYTES)
    throw new BlindSignError(`blinded message must be ${MODULUS_BYTES} bytes`);
  let signature: Buffer;
  try {
    signature = privateDecrypt(
      { key: privateKeyObject(privateKeyPem), padding: constants.RSA_NO_PADDING },
      blinded,
    );
  } catch {
    throw new BlindSignError('blinded message is not smaller than the modulus');
  }
  const publicKey = publicKeyObject(publicKeySpki);
  const check = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  if (!check.equals(blinded)) throw new BlindSignError('signing check failed');
  return signature;
}

/**
 * Parsed private keys of open cycles. Parsing the PEM costs about twice the signature itself, so
 * without this cache signing runs at a third of the speed (see docs/benchmarks.md). Small and
 * bounded; a closed cycle's key is no longer in the database, so nothing can look it up here.
 */
const privateKeys = new Map<string, KeyObject>();
function privateKeyObject(pem: string): KeyObject {
  let key = privateKeys.get(pem);
  if (!key) {
    key = createPrivateKey({ key: pem, format: 'pem' });
    if (privateKeys.size >= 64) privateKeys.delete(privateKeys.keys().next().value as string);
    privateKeys.set(pem, key);
  }
  return key;
}

const publicKeys = new Map<string, KeyObject>();
function publicKeyObject(spki: string): KeyObject {
  let key = publicKeys.get(spki);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
    if (publicKeys.size > 1000) publicKeys.clear();
    publicKeys.set(spki, key);
  }
  return key;
}

/**
 * RFC 9474 Verify of an unblinded signature over the prepared token: RSASSA-PSS with SHA-384,
 * MGF1-SHA-384 and a 48-byte salt (RSABSSA-SHA384-PSS-Randomized, §4.5), through OpenSSL on the
 * cached key object. It is the operation the library's `verify` asks WebCrypto for, at about a
 * third of the CPU (no key import per call, no promise job); the tests check both agree.
 */
export function verifyToken(publicKeySpki: string, token: Buffer, signature: Buffer): boolean {
  if (token.length !== TOKEN_BYTES || signature.length !== MODULUS_BYTES) return false;
  try {
    return verify(
      'sha384',
      token,
      {
        key: publicKeyObject(publicKeySpki),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: PSS_SALT_BYTES,
      },
      signature,
    );
  } catch {
    return false;
  }
}

/** The salt length of RSABSSA-SHA384-PSS-Randomized (the hash's output length). */
const PSS_SALT_BYTES = 48;

export function sha256(...parts: (Buffer | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** Strict base64url decoding: returns null for anything that is not canonical base64url. */
export function fromBase64Url(value: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return null;
  const buf = Buffer.from(value, 'base64url');
  return buf.toString('base64url') === value ? buf : null;
}
