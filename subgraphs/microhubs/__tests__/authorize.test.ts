import { PUBLIC_SCOPE, type Scope } from '../../../lib/auth/scope';
import { requireMicrohubEdit } from '../authorize';

const editor = (own: string[], seen: string[]): Scope => ({
  ...PUBLIC_SCOPE,
  principal: { type: 'USER', userId: 'u1', email: 'hubs@example.org' },
  organisationId: 'o1',
  organisationType: 'OTHER_GOVERNMENT',
  privileges: ['MICROHUB_EDIT'],
  municipalities: seen,
  ownMunicipalities: own,
});

describe('who may edit hubs', () => {
  it('allows MICROHUB_EDIT in a municipality the organisation owns', () => {
    expect(() =>
      requireMicrohubEdit(editor(['GM0363'], ['GM0363']), 'GM0363', 'createHub'),
    ).not.toThrow();
  });

  it('refuses a municipality the organisation only sees through a data-access grant', () => {
    expect(() => requireMicrohubEdit(editor([], ['GM0363']), 'GM0363', 'createHub')).toThrow(
      'forbidden: createHub needs MICROHUB_EDIT in GM0363; you may edit hubs in no municipality',
    );
  });

  it('refuses without the privilege, even in an owned municipality', () => {
    const viewer = { ...editor(['GM0363'], ['GM0363']), privileges: [] };
    expect(() => requireMicrohubEdit(viewer, 'GM0363', 'createHub')).toThrow(/MICROHUB_EDIT/);
  });
});
