/**
 * Password policy for local accounts: at least 8 characters, at most 1024, not one of the most
 * common passwords, and not the person's own email or its part before the @.
 *
 * No maintained npm package with a common-password list is installed in this project, so the
 * list below is a small embedded one: about 200 of the passwords that head the public
 * breach-derived lists (SecLists "10-million-password-list-top-1000", NordPass and SplashData
 * yearly "most common passwords"). Compared case-insensitively. It stops the guesses an
 * attacker tries first (the login throttle stops the rest); it is not a full breached-password
 * check — for that, load a larger list (e.g. HIBP Pwned Passwords) into `COMMON` at startup.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

const COMMON = new Set(
  `
123456 123456789 12345678 password qwerty123 qwerty1 111111 12345 secret 123123
1234567890 1234567 000000 qwerty abc123 password1 iloveyou 11111111 dragon monkey
123321 654321 666666 121212 123qwe 1q2w3e4r 1qaz2wsx qwertyuiop 987654321 aa12345678
password123 password12 passw0rd p@ssw0rd p@ssword pa$$word admin admin123 administrator root
letmein welcome welcome1 welcome123 login master sunshine princess football baseball
shadow superman batman trustno1 starwars hello123 freedom whatever qazwsx michael
jennifer jordan23 hunter2 hunter michelle charlie ashley bailey buster daniel
thomas jessica jordan hannah andrew soccer hockey killer george harley ranger
matthew robert computer internet samsung google zaq12wsx asdfghjkl asdfgh asdf1234
zxcvbnm zxcvbn 1q2w3e 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 qwer1234 abcd1234
abcdef abcdefg abcdefgh abc12345 a1b2c3d4 aaaaaa aaaaaaaa 112233 11223344 159753
147258369 123654 7777777 88888888 99999999 55555555 00000000 12341234 11111111111 1234qwer
changeme changeme123 default guest test test123 test1234 testing user1234 temp1234
iloveyou1 iloveu loveme lovely love123 mypassword mypass newpassword pass1234 passpass
password! password1! password01 password2 password2024 password2025 password2026 Password1
summer2024 summer2025 winter2024 winter2025 spring2025 autumn2025 monday123 football1
baseball1 superman1 batman123 pokemon naruto minecraft fortnite roblox liverpool
chelsea arsenal barcelona yankees cowboys dolphins eagles lakers 696969 qwerty12
qwerty1234 qwertyui asdfasdf 1password 123abc 123456a 123456789a a123456 a12345678
aa123456 123456aa q123456 qwe123 qwe12345 zaq1zaq1 1qazxsw2 !qaz2wsx qazwsxedc
trustno1! access access14 master123 letmein1 letmein123 secret123 hello1234 whatever1
sunshine1 princess1 dragon123 monkey123 shadow123 michael1 jordan123 tigger
charlie1 ginger pepper cheese maggie buster1 chocolate cookie flower purple
orange banana apple123 starwars1 matrix killer123 computer1 internet1 welcome01
  `
    .split(/\s+/)
    .filter((p) => p !== '')
    .map((p) => p.toLowerCase()),
);

export const commonPasswordCount = () => COMMON.size;

/** Problems with a new password, as field messages; empty when it is acceptable. */
export function passwordProblems(password: unknown, email?: string): string[] {
  if (typeof password !== 'string') return ['must be text'];
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH)
    problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH)
    problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
  const lower = password.trim().toLowerCase();
  if (COMMON.has(lower)) problems.push('is one of the most common passwords; choose another');
  if (email) {
    const e = email.toLowerCase();
    if (lower === e || lower === e.split('@')[0]) problems.push('must not be your email address');
  }
  return problems;
}
