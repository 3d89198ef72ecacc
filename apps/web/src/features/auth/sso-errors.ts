/** What the OIDC callback's `/login?sso_error=<code>` means, in words a person can act on. */
const MESSAGES: Record<string, string> = {
  flow_expired:
    'Single sign-on took too long or was started in another browser tab. Start it again from this page.',
  provider_error:
    'Your organisation’s sign-in service did not confirm who you are. Try again; if it keeps happening, tell your IT team.',
  no_email:
    'Your organisation’s sign-in service did not share your email address, so Candor cannot tell who you are. Ask your IT team to release the email claim to Candor.',
  email_not_verified:
    'Your email address is not verified with your organisation’s sign-in service. Verify it there, then try again.',
  domain_not_allowed:
    'This installation of Candor only accepts single sign-on from certain email domains, and yours is not one of them. Sign in with the account your organisation gave you.',
  unknown_person:
    'You signed in with single sign-on, but nobody with your email address has been added to Candor yet. Ask a Candor admin to add or invite you.',
  inactive: 'Your Candor account has been deactivated. Ask a Candor admin if you think this is a mistake.',
  already_linked:
    'Your Candor account is already linked to another account at your organisation’s sign-in service, so Candor cannot be sure it is you. Sign in with the account you used before, or ask a Candor admin.',
};

export function ssoErrorMessage(code: string | null): string | null {
  if (code === null) return null;
  // Own keys only: a code such as `toString` must not reach what every object inherits.
  return Object.hasOwn(MESSAGES, code)
    ? MESSAGES[code]!
    : 'Single sign-on did not complete. Try again, or sign in with your password.';
}
