import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as client from 'openid-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainError } from '../common/errors';
import { audit } from '../org/org.audit';
import { User } from '../org/org.entities';
import type { OidcConfig } from './auth.config';

/** What the browser keeps between /start and /callback (signed, 10 minutes, httpOnly cookie). */
interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export const OIDC_COOKIE = 'candor_oidc';
const FLOW_AUDIENCE = 'candor-oidc-flow';
export const FLOW_TTL_SECONDS = 600;

/** A refusal the callback turns into a redirect to the sign-in page with this code. */
export class SsoRefused extends Error {
  constructor(public readonly code: string) {
    super(code);
  }
}

/**
 * OpenID Connect sign-in (authorization code + PKCE + nonce, via openid-client 6). People are
 * matched by verified email; allowed domains and just-in-time creation come from the config.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('OIDC');
  private discovered: Promise<client.Configuration> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get settings(): OidcConfig {
    const oidc = this.config.auth.oidc;
    if (!oidc) throw new DomainError('sso_disabled', 404, 'Single sign-on is not configured');
    return oidc;
  }

  private configuration(): Promise<client.Configuration> {
    const oidc = this.settings;
    this.discovered ??= client
      .discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
        ...(oidc.allowInsecure ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((err: unknown) => {
        this.discovered = null; // retry on the next sign-in
        this.logger.warn(
          `discovery of ${oidc.issuer} failed: ${err instanceof Error ? err.message : 'unknown'}`,
        );
        throw new DomainError(
          'sso_unavailable',
          503,
          'The identity provider cannot be reached. Try again later.',
        );
      });
    return this.discovered;
  }

  /** The identity provider's authorization URL, and the signed flow state for the cookie. */
  async start(returnTo: string): Promise<{ url: string; flowCookie: string }> {
    const oidc = this.settings;
    const config = await this.configuration();
    const flow: OidcFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: oidc.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    const flowCookie = await this.jwt.signAsync(
      { ...flow },
      { audience: FLOW_AUDIENCE, expiresIn: FLOW_TTL_SECONDS },
    );
    return { url: url.href, flowCookie };
  }

  /** Finishes the flow: returns the active person to sign in, and where to send the browser. */
  async finish(callbackUrl: URL, flowCookie: string | undefined): Promise<{ user: User; returnTo: string }> {
    const oidc = this.settings;
    let flow: OidcFlow;
    try {
      if (!flowCookie) throw new Error('no flow cookie');
      flow = await this.jwt.verifyAsync<OidcFlow>(flowCookie, { audience: FLOW_AUDIENCE });
    } catch {
      throw new SsoRefused('flow_expired');
    }
    const config = await this.configuration();
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      if (typeof claims.email !== 'string' && tokens.access_token) {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims };
      }
    } catch (err) {
      this.logger.warn(`callback refused: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown'}`);
      throw new SsoRefused('provider_error');
    }

    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email) throw new SsoRefused('no_email');
    if (claims.email_verified === false || claims.email_verified === 'false') {
      await this.deny(email, 'email_not_verified');
      throw new SsoRefused('email_not_verified');
    }
    const domain = email.split('@')[1] ?? '';
    if (oidc.allowedDomains.length > 0 && !oidc.allowedDomains.includes(domain)) {
      await this.deny(email, 'domain_not_allowed');
      throw new SsoRefused('domain_not_allowed');
    }
    const repo = this.dataSource.getRepository(User);
    let user = await repo.findOneBy({ email });
    if (!user) {
      if (!oidc.jit) {
        await this.deny(email, 'unknown_person');
        throw new SsoRefused('unknown_person');
      }
      const name =
        typeof claims.name === 'string' && claims.name.trim() !== ''
          ? claims.name.trim().slice(0, 200)
          : email;
      await this.dataSource.transaction(async (m) => {
        const rows: { id: string }[] = await m.query(
          'INSERT INTO app_user (email, name) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT uq_app_user_email DO NOTHING RETURNING id',
          [email, name],
        );
        if (rows[0]) await audit(m, null, 'person.create_sso', rows[0].id, { email, issuer: oidc.issuer });
      });
      user = await repo.findOneBy({ email });
    }
    if (!user || !user.active) {
      await this.deny(email, 'inactive');
      throw new SsoRefused('inactive');
    }
    return { user, returnTo: flow.returnTo };
  }

  private async deny(email: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (actor_id, action, target, detail) VALUES (NULL, 'auth.sso_denied', $1, $2)`,
      [email, JSON.stringify({ reason })],
    );
  }
}
