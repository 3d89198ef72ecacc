import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { hashPassword } from '../src/auth/passwords';

export const PASSWORD = 'correct horse battery staple';
let hash: Promise<string> | null = null;
const passwordHash = () => (hash ??= hashPassword(PASSWORD));

export interface TestPerson {
  id: string;
  email: string;
}

export interface TestTeam {
  groupId: string;
  teamId: string;
  lead: TestPerson;
  members: TestPerson[];
  /** lead first, then members */
  everyone: TestPerson[];
}

export async function makeUser(
  ds: DataSource,
  opts: { isAdmin?: boolean; active?: boolean } = {},
): Promise<TestPerson> {
  const email = `u-${randomUUID()}@test.example`;
  const rows: { id: string }[] = await ds.query(
    'INSERT INTO app_user (email, name, password_hash, is_admin, active) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [email, `Person ${email.slice(2, 8)}`, await passwordHash(), opts.isAdmin ?? false, opts.active ?? true],
  );
  return { id: rows[0]!.id, email };
}

export async function makeGroup(ds: DataSource, parentId: string | null = null): Promise<string> {
  const rows: { id: string }[] = await ds.query(
    'INSERT INTO org_group (name, parent_id) VALUES ($1, $2) RETURNING id',
    [`Group ${randomUUID().slice(0, 8)}`, parentId],
  );
  return rows[0]!.id;
}

/** A team with one lead and `size - 1` members, in its own group (or the one given). */
export async function makeTeam(ds: DataSource, size: number, groupId?: string): Promise<TestTeam> {
  const group = groupId ?? (await makeGroup(ds));
  const rows: { id: string }[] = await ds.query(
    'INSERT INTO team (name, group_id) VALUES ($1, $2) RETURNING id',
    [`Team ${randomUUID().slice(0, 8)}`, group],
  );
  const teamId = rows[0]!.id;
  const everyone: TestPerson[] = [];
  for (let i = 0; i < size; i++) {
    const person = await makeUser(ds);
    await ds.query('INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, $3)', [
      person.id,
      teamId,
      i === 0 ? 'lead' : 'member',
    ]);
    everyone.push(person);
  }
  return { groupId: group, teamId, lead: everyone[0]!, members: everyone.slice(1), everyone };
}
