import { ApiError, NetworkError } from '../lib/api-client';
import { describeFormError, emailProblem, requestErrors } from './forms';

const validation = new ApiError(400, {
  message: 'Validation failed',
  fields: { name: ['must not be empty', 'must be shorter'], email: ['must be an email'] },
});

describe('describeFormError', () => {
  it('puts the messages of the named fields beside them, as sentences, and nothing above the form', () => {
    expect(describeFormError(validation, ['name'])).toEqual({
      fields: { name: 'Must not be empty; must be shorter.' },
      form: null,
    });
  });

  it('says the request’s own message when none of the named fields is at fault', () => {
    expect(describeFormError(validation, ['groupId'])).toEqual({ fields: {}, form: 'Validation failed' });
    expect(describeFormError(new ApiError(409, { message: 'Already a member.' }), ['name']).form).toBe(
      'Already a member.',
    );
  });

  it('explains a lost connection, and anything else in general words', () => {
    expect(describeFormError(new NetworkError(), ['name']).form).toMatch(/Could not reach Candor/);
    expect(describeFormError(new Error('boom'), ['name'])).toEqual({
      fields: {},
      form: 'That did not work. Try again.',
    });
  });
});

describe('requestErrors', () => {
  it('keeps every field’s messages as the server wrote them, joined as asked', () => {
    expect(requestErrors(validation)).toEqual({
      fields: { name: 'must not be empty must be shorter', email: 'must be an email' },
      form: null,
      hasFields: true,
    });
    expect(requestErrors(validation, '; ').fields.name).toBe('must not be empty; must be shorter');
  });

  it('gives the error’s message for the form when no field is named, and nothing without an error', () => {
    expect(requestErrors(new ApiError(500, { message: 'Server trouble' }))).toEqual({
      fields: {},
      form: 'Server trouble',
      hasFields: false,
    });
    expect(requestErrors(new NetworkError()).form).toMatch(/connection/);
    expect(requestErrors(null)).toEqual({ fields: {}, form: null, hasFields: false });
    expect(requestErrors(undefined).form).toBeNull();
  });
});

describe('emailProblem', () => {
  it('asks for an address when nothing was typed, with the caller’s words', () => {
    expect(emailProblem('   ', 'Enter your email address.')).toBe('Enter your email address.');
    expect(emailProblem('')).toBe('Enter an email address like name@example.com.');
  });

  it('accepts anything shaped like name@domain (the server checks the rest)', () => {
    expect(emailProblem(' ada@example.com ')).toBeNull();
    expect(emailProblem('ada@localhost')).toBeNull();
    expect(emailProblem('ada.example.com')).toBe('Enter an email address like name@example.com.');
    expect(emailProblem('ada @example.com')).toBe('Enter an email address like name@example.com.');
    expect(emailProblem('a@b@c')).toBe('Enter an email address like name@example.com.');
  });
});
