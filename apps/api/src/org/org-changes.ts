// The pure decisions of an org update: which fields changed (the audit row's detail), which audit
// action names the update, and the people list's page cursor. No I/O; unit-tested beside.

export interface Change {
  from: unknown;
  to: unknown;
}
export type Changes = Record<string, Change>;

/**
 * `{ field: { from, to } }` for each field whose new value is given and differs from the current
 * one; absent (`undefined`) and unchanged fields are left out. Keys are the audit detail's names.
 */
export function changesOf(fields: Record<string, [current: unknown, next: unknown]>): Changes {
  const changes: Changes = {};
  for (const [field, [current, next]] of Object.entries(fields)) {
    if (next !== undefined && next !== current) changes[field] = { from: current, to: next };
  }
  return changes;
}

export type TeamUpdateAction = 'team.reactivate' | 'team.deactivate' | 'team.move' | 'team.rename';

/** A change of the active flag names the update, then a move, else it is a rename. */
export function teamUpdateAction(changes: Changes): TeamUpdateAction {
  if (changes.active) return changes.active.to ? 'team.reactivate' : 'team.deactivate';
  return changes.groupId ? 'team.move' : 'team.rename';
}

export type PersonUpdateAction =
  'person.reactivate' | 'person.deactivate' | 'person.admin' | 'person.email' | 'person.rename';

/** Active flag first, then admin rights, then the email, else a rename. */
export function personUpdateAction(changes: Changes): PersonUpdateAction {
  if (changes.active) return changes.active.to ? 'person.reactivate' : 'person.deactivate';
  if (changes.isAdmin) return 'person.admin';
  return changes.email ? 'person.email' : 'person.rename';
}

/** Whether the update ends the person's sessions: a change of the active flag or of admin rights. */
export const endsSessions = (changes: Changes): boolean =>
  changes.active !== undefined || changes.isAdmin !== undefined;

/** The people list pages on email (unique); the cursor is the last email, base64url. */
export const peopleCursor = (lastEmail: string): string =>
  Buffer.from(lastEmail, 'utf8').toString('base64url');

/** The email a cursor carries, or null when it cannot be one (empty, or longer than an address). */
export function emailOfPeopleCursor(cursor: string): string | null {
  const email = Buffer.from(cursor, 'base64url').toString('utf8');
  return email === '' || email.length > 254 ? null : email;
}
