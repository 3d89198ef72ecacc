import type { Request } from 'express';

/**
 * The client address as Express sees it: `TRUST_PROXY` decides whose `X-Forwarded-For` counts
 * (create-app.ts). Used for rate limits and the sign-in throttle, always hashed, never stored.
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
