import { randomBytes, webcrypto } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { RSABSSA } from '@cloudflare/blindrsa-ts';

/** What a browser does: prepare, blind, ask for the blind signature, finalize. Real RFC 9474. */
const suite = RSABSSA.SHA384.PSS.Randomized();

export interface BlindState {
  prepared: Uint8Array;
  blinded: Uint8Array;
  inv: Uint8Array;
  key: webcrypto.CryptoKey;
}

export async function blindToken(publicKeySpki: string): Promise<BlindState> {
  const key = await webcrypto.subtle.importKey(
    'spki',
    Buffer.from(publicKeySpki, 'base64'),
    { name: 'RSA-PSS', hash: 'SHA-384' },
    true,
    ['verify'],
  );
  const prepared = suite.prepare(new Uint8Array(randomBytes(32)));
  const { blindedMsg, inv } = await suite.blind(key, prepared);
  return { prepared, blinded: blindedMsg, inv, key };
}

export async function finalizeToken(
  state: BlindState,
  blindSignatureB64: string,
): Promise<{ token: string; signature: string }> {
  const signature = await suite.finalize(
    state.key,
    state.prepared,
    new Uint8Array(Buffer.from(blindSignatureB64, 'base64url')),
    state.inv,
  );
  return {
    token: Buffer.from(state.prepared).toString('base64url'),
    signature: Buffer.from(signature).toString('base64url'),
  };
}

/** Signed-in member obtains a token for a cycle, the whole client side of the protocol. */
export async function obtainToken(
  http: App,
  accessToken: string,
  cycleId: string,
  publicKeySpki: string,
): Promise<{ token: string; signature: string }> {
  const state = await blindToken(publicKeySpki);
  const res = await request(http)
    .post(`/api/cycles/${cycleId}/tokens`)
    .set('Authorization', `Bearer ${accessToken}`)
    .send({ blindedMessage: Buffer.from(state.blinded).toString('base64url') })
    .expect(200);
  return finalizeToken(state, (res.body as { blindSignature: string }).blindSignature);
}
