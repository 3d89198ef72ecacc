/**
 * Password policy for local accounts: at least 8 characters, at most 1024, not one of the most
 * common passwords, and not the person's own email or its part before the @.
 *
 * The common-password list is the 49,233-entry "passwords-common" dictionary of
 * `@zxcvbn-ts/language-common` (MIT; frequency-ranked passwords from public breach corpora),
 * plus a few dozen entries it lacks that people choose for a new account (year and season
 * patterns, "changeme123"). It is decompressed once, when this module is first loaded (about
 * 0.1 s and 6 MB of heap; docs/adr/0006-common-password-list.md), and compared
 * case-insensitively. It stops the guesses an attacker tries first (the login throttle stops the
 * rest); it is not a full breached-password check.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

/** Entries of the earlier embedded list that the package's dictionary does not hold. */
const EXTRA = `
654321 121212 987654321 aa12345678 p@ssword pa$$word login abcdef abcdefg abcdefgh aaaaaa
aaaaaaaa 88888888 99999999 55555555 00000000 12341234 11111111111 changeme123 user1234 password1!
password2024 password2025 password2026 password2027 summer2024 summer2025 summer2026 winter2024
winter2025 winter2026 spring2025 spring2026 autumn2025 autumn2026 monday123 fortnite roblox
qwe12345 zaq1zaq1 trustno1! welcome2025 welcome2026 candor123 candor2026
`;

const COMMON: ReadonlySet<string> = new Set(
  [...dictionary['passwords-common'], ...EXTRA.split(/\s+/)]
    .filter((p) => p !== '')
    .map((p) => p.toLowerCase()),
);

export const commonPasswordCount = () => COMMON.size;

/** Whether the password (trimmed, any case) is on the common-password list. */
export const isCommonPassword = (password: string) => COMMON.has(password.trim().toLowerCase());

/** Problems with a new password, as field messages; empty when it is acceptable. */
export function passwordProblems(password: unknown, email?: string): string[] {
  if (typeof password !== 'string') return ['must be text'];
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH)
    problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH)
    problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
  const lower = password.trim().toLowerCase();
  // A too-short password gets that one message; many short strings are on the list as well.
  if (problems.length === 0 && isCommonPassword(password))
    problems.push('is one of the most common passwords; choose another');
  if (email) {
    const e = email.toLowerCase();
    if (lower === e || lower === e.split('@')[0]) problems.push('must not be your email address');
  }
  return problems;
}
