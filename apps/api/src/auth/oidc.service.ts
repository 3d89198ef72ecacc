import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as client from 'openid-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainError } from '../common/errors';
import { audit } from '../common/audit-log';
import { User } from '../kernel/org.entities';
import type { OidcConfig } from '../config/auth.config';
import { SsoIdentity } from './sso-identity.entity';

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

type BindOutcome = { userId: string } | { refused: 'unknown_person' | 'already_linked' };

/** A refusal the callback turns into a redirect to the sign-in page with this code. */
export class SsoRefused extends Error {
  constructor(public readonly code: string) {
    super(code);
  }
}

/**
 * OpenID Connect sign-in (authorization code + PKCE + nonce, via openid-client 6). The ID token must
 * say `email_verified: true`. A person is bound to the provider's `(iss, sub)` on their first
 * sign-in (matched by that verified email) and matched on that binding ever after, never on email
 * alone; allowed domains and just-in-time creation come from the config.
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
    // Only the boolean true counts: a missing claim, `false` and the string "true" are all
    // "not verified" (OpenID Connect Core 5.1 defines email_verified as a boolean).
    if (claims.email_verified !== true && !oidc.allowUnverifiedEmail) {
      await this.deny(email, 'email_not_verified');
      throw new SsoRefused('email_not_verified');
    }
    const domain = email.split('@')[1] ?? '';
    if (oidc.allowedDomains.length > 0 && !oidc.allowedDomains.includes(domain)) {
      await this.deny(email, 'domain_not_allowed');
      throw new SsoRefused('domain_not_allowed');
    }
    const issuer = typeof claims.iss === 'string' ? claims.iss : oidc.issuer;
    const subject = typeof claims.sub === 'string' ? claims.sub : '';
    if (subject === '' || subject.length > 255) throw new SsoRefused('provider_error');
    const user = await this.bind(issuer, subject, email, claims);
    if (!user || !user.active) {
      await this.deny(email, 'inactive');
      throw new SsoRefused('inactive');
    }
    return { user, returnTo: flow.returnTo };
  }

  /**
   * The person this provider identity signs in as. Bound already: that person, whatever email the
   * provider now sends. Not yet: the person with this (verified) email, unless they are bound to
   * another identity of this issuer — then it is someone else's account at the provider, refused.
   * Unknown email: created when OIDC_JIT is on. The binding is written in the same transaction.
   */
  private async bind(
    issuer: string,
    subject: string,
    email: string,
    claims: Record<string, unknown>,
  ): Promise<User | null> {
    const oidc = this.settings;
    const users = this.dataSource.getRepository(User);
    const bound = await this.dataSource.getRepository(SsoIdentity).findOneBy({ issuer, subject });
    if (bound) return users.findOneBy({ id: bound.userId });

    const outcome = await this.dataSource.transaction(async (m): Promise<BindOutcome> => {
      let person = await m
        .getRepository(User)
        .findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
      if (!person) {
        if (!oidc.jit) return { refused: 'unknown_person' };
        const name =
          typeof claims.name === 'string' && claims.name.trim() !== ''
            ? claims.name.trim().slice(0, 200)
            : email;
        const rows: { id: string }[] = await m.query(
          'INSERT INTO app_user (email, name) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT uq_app_user_email DO NOTHING RETURNING id',
          [email, name],
        );
        if (rows[0]) await audit(m, null, 'person.create_sso', rows[0].id, { email, issuer });
        person = await m
          .getRepository(User)
          .findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
        if (!person) return { refused: 'unknown_person' };
      }
      // ON CONFLICT DO NOTHING on both keys: a concurrent first sign-in of the same identity, or
      // a person already bound to another subject of this issuer, inserts nothing.
      const inserted: unknown[] = await m.query(
        `INSERT INTO sso_identity (issuer, subject, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id`,
        [issuer, subject, person.id],
      );
      if (inserted.length > 0) {
        await audit(m, person.id, 'person.sso_bound', person.id, { issuer });
        return { userId: person.id };
      }
      const again: { user_id: string }[] = await m.query(
        'SELECT user_id FROM sso_identity WHERE issuer = $1 AND subject = $2',
        [issuer, subject],
      );
      return again[0] ? { userId: again[0].user_id } : { refused: 'already_linked' };
    });
    if ('refused' in outcome) {
      await this.deny(email, outcome.refused);
      throw new SsoRefused(outcome.refused);
    }
    return users.findOneBy({ id: outcome.userId });
  }

  private async deny(email: string, reason: string): Promise<void> {
    await audit(this.dataSource.manager, null, 'auth.sso_denied', email, { reason });
  }
}
