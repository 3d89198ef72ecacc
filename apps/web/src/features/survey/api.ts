/** Token issuance (signed in) and the anonymous submission (no credentials). */
import type {
  SubmitReceipt,
  SubmitResponseRequest,
  TokenIssueRequest,
  TokenIssueResponse,
} from '@candor/contracts';
import { apiRequest } from '../../lib/api-client';

/**
 * Asks for the blind signature. Signed in: the server records that this person took a token for
 * the cycle, but sees only the blinded message. Re-sending the same blinded message returns the
 * same signature.
 */
export async function issueToken(cycleId: string, blindedMessage: string): Promise<string> {
  const body: TokenIssueRequest = { blindedMessage };
  const response = await apiRequest<TokenIssueResponse>(`/cycles/${encodeURIComponent(cycleId)}/tokens`, {
    method: 'POST',
    body,
  });
  return response.blindSignature;
}

/**
 * The anonymous submission: no cookie (`credentials: 'omit'`), no Authorization header, no
 * referrer. The token and its signature are the only proof of membership.
 */
export function submitResponse(request: SubmitResponseRequest): Promise<SubmitReceipt> {
  return apiRequest<SubmitReceipt>('/responses', {
    method: 'POST',
    body: request,
    credentials: 'omit',
    redirectOn401: false,
    referrerPolicy: 'no-referrer',
  });
}
