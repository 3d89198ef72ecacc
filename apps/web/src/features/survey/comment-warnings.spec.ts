import { commentWarnings } from './comment-warnings';

describe('commentWarnings', () => {
  it('flags e-mail addresses, phone numbers and known names', () => {
    const found = commentWarnings('Ask Dana Smith (dana@example.com, +44 20 7946 0958) about it', [
      'Dana Smith',
    ]);
    expect(found).toEqual([
      { kind: 'email', text: 'dana@example.com' },
      { kind: 'phone', text: '+44 20 7946 0958' },
      { kind: 'name', text: 'Dana' },
      { kind: 'name', text: 'Smith' },
    ]);
  });

  it('does not flag short numbers, parts of words or names it does not know', () => {
    expect(
      commentWarnings('We had 3 incidents in 2024; Danaher and Smithson are fine', ['Dana Smith']),
    ).toEqual([]);
  });
});
