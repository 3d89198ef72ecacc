import {
  changesOf,
  emailOfPeopleCursor,
  endsSessions,
  peopleCursor,
  personUpdateAction,
  teamUpdateAction,
} from './org-changes';

describe('changesOf', () => {
  it('keeps only the fields given with a new value', () => {
    expect(
      changesOf({ name: ['Core', 'Platform'], groupId: ['g1', undefined], active: [true, true] }),
    ).toEqual({ name: { from: 'Core', to: 'Platform' } });
  });

  it('records a change to a falsy value (deactivation, clearing a parent)', () => {
    expect(changesOf({ active: [true, false], parentId: ['g1', null] })).toEqual({
      active: { from: true, to: false },
      parentId: { from: 'g1', to: null },
    });
  });

  it('is empty when nothing changes', () => {
    expect(changesOf({})).toEqual({});
    expect(changesOf({ name: ['Core', 'Core'], email: ['a@x.org', undefined] })).toEqual({});
  });
});

describe('teamUpdateAction', () => {
  const rename = { name: { from: 'A', to: 'B' } };
  const move = { groupId: { from: 'g1', to: 'g2' } };
  it('names a change of the active flag first', () => {
    expect(teamUpdateAction({ ...rename, ...move, active: { from: true, to: false } })).toBe(
      'team.deactivate',
    );
    expect(teamUpdateAction({ ...move, active: { from: false, to: true } })).toBe('team.reactivate');
  });
  it('then a move, else a rename', () => {
    expect(teamUpdateAction({ ...rename, ...move })).toBe('team.move');
    expect(teamUpdateAction(rename)).toBe('team.rename');
  });
});

describe('personUpdateAction and endsSessions', () => {
  const email = { email: { from: 'a@x.org', to: 'b@x.org' } };
  const admin = { isAdmin: { from: false, to: true } };
  it('orders active, admin, email, rename', () => {
    expect(personUpdateAction({ ...email, ...admin, active: { from: true, to: false } })).toBe(
      'person.deactivate',
    );
    expect(personUpdateAction({ active: { from: false, to: true } })).toBe('person.reactivate');
    expect(personUpdateAction({ ...email, ...admin })).toBe('person.admin');
    expect(personUpdateAction(email)).toBe('person.email');
    expect(personUpdateAction({ name: { from: 'A', to: 'B' } })).toBe('person.rename');
  });
  it('ends sessions only when the active flag or admin rights change', () => {
    expect(endsSessions(admin)).toBe(true);
    expect(endsSessions({ active: { from: true, to: false } })).toBe(true);
    expect(endsSessions({ ...email, name: { from: 'A', to: 'B' } })).toBe(false);
  });
});

describe('people cursor', () => {
  it('round-trips an email, including non-ASCII', () => {
    for (const email of ['ada@example.org', 'zoë.ärger@beispiel.de']) {
      expect(emailOfPeopleCursor(peopleCursor(email))).toBe(email);
    }
  });
  it('refuses a cursor that cannot carry an address', () => {
    expect(emailOfPeopleCursor('')).toBeNull();
    expect(emailOfPeopleCursor(peopleCursor('x'.repeat(255)))).toBeNull();
    expect(emailOfPeopleCursor(peopleCursor('x'.repeat(254)))).toBe('x'.repeat(254));
  });
});
