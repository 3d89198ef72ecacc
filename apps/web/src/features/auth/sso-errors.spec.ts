import { ssoErrorMessage } from './sso-errors';

describe('ssoErrorMessage', () => {
  it('says nothing without a code', () => {
    expect(ssoErrorMessage(null)).toBeNull();
  });

  it('explains each known code in words a person can act on', () => {
    expect(ssoErrorMessage('unknown_person')).toMatch(/Ask a Candor admin to add or invite you/);
    expect(ssoErrorMessage('flow_expired')).toMatch(/Start it again/);
    expect(ssoErrorMessage('domain_not_allowed')).toMatch(/email domains/);
  });

  it('falls back to a general message for a code it does not know, never echoing the code', () => {
    const message = ssoErrorMessage('<script>');
    expect(message).toBe('Single sign-on did not complete. Try again, or sign in with your password.');
    // A name every object inherits is not a code either (it once returned Object.prototype.toString).
    expect(ssoErrorMessage('toString')).toBe(message);
    expect(ssoErrorMessage('__proto__')).toBe(message);
  });
});
