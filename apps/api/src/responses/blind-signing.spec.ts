import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { blindToken, finalizeToken } from '../../test/blind-client';
import { blindSign, generateCycleKeyPair, verifyToken, type CycleKeyPair } from './blind-signing';

/** The library's own RFC 9474 Verify, through WebCrypto: what verifyToken must agree with. */
const suite = RSABSSA.SHA384.PSS.Randomized();

async function signedToken(keys: CycleKeyPair): Promise<{ token: Buffer; signature: Buffer }> {
  const state = await blindToken(keys.publicKeySpki);
  const blindSignature = blindSign(keys.privateKeyPkcs8, keys.publicKeySpki, Buffer.from(state.blinded));
  const { token, signature } = await finalizeToken(state, blindSignature.toString('base64url'));
  return { token: Buffer.from(token, 'base64url'), signature: Buffer.from(signature, 'base64url') };
}

describe('verifyToken (RFC 9474 Verify through OpenSSL)', () => {
  let keys: CycleKeyPair;
  let other: CycleKeyPair;
  beforeAll(async () => {
    [keys, other] = await Promise.all([generateCycleKeyPair(), generateCycleKeyPair()]);
  });

  const libraryVerify = async (spki: string, token: Buffer, signature: Buffer) =>
    suite.verify(
      await crypto.subtle.importKey(
        'spki',
        Buffer.from(spki, 'base64'),
        { name: 'RSA-PSS', hash: 'SHA-384' },
        false,
        ['verify'],
      ),
      new Uint8Array(signature),
      new Uint8Array(token),
    );

  it('accepts every token blind-signed for the key and agrees with the library', async () => {
    for (let i = 0; i < 20; i++) {
      const { token, signature } = await signedToken(keys);
      expect(verifyToken(keys.publicKeySpki, token, signature)).toBe(true);
      expect(await libraryVerify(keys.publicKeySpki, token, signature)).toBe(true);
    }
  });

  it('refuses a changed token, a changed signature and another cycle’s key, as the library does', async () => {
    const { token, signature } = await signedToken(keys);
    const flipped = (b: Buffer, at: number) => {
      const copy = Buffer.from(b);
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    };
    const cases: [string, Buffer, Buffer][] = [
      [keys.publicKeySpki, flipped(token, 0), signature],
      [keys.publicKeySpki, flipped(token, 63), signature],
      [keys.publicKeySpki, token, flipped(signature, 0)],
      [keys.publicKeySpki, token, flipped(signature, 255)],
      [other.publicKeySpki, token, signature],
    ];
    for (const [spki, t, s] of cases) {
      expect(verifyToken(spki, t, s)).toBe(false);
      expect(await libraryVerify(spki, t, s)).toBe(false);
    }
  });

  it('refuses wrong lengths and a malformed key without throwing', () => {
    expect(verifyToken('not a key', Buffer.alloc(64), Buffer.alloc(256))).toBe(false);
    expect(verifyToken(keys.publicKeySpki, Buffer.alloc(63), Buffer.alloc(256))).toBe(false);
    expect(verifyToken(keys.publicKeySpki, Buffer.alloc(64), Buffer.alloc(255))).toBe(false);
  });
});
