import type { DemoOrganisation } from '../seeds/identities';

/** Callers of the series tests: an administrator, Amsterdam (an admin and an analyst), an operator. */
export const SERIES_ORGANISATIONS: DemoOrganisation[] = [
  {
    name: 'Admins',
    type: 'ADMIN',
    municipalityCodes: [],
    operatorIds: [],
    users: [{ email: 'admin@t.nl', privileges: [] }],
  },
  {
    name: 'Amsterdam',
    type: 'MUNICIPALITY',
    municipalityCodes: ['GM0363'],
    operatorIds: [],
    users: [
      { email: 'ams-admin@t.nl', privileges: ['ORGANISATION_ADMIN'] },
      { email: 'ams@t.nl', privileges: [] },
    ],
  },
  {
    name: 'Rotterdam',
    type: 'MUNICIPALITY',
    municipalityCodes: ['GM0599'],
    operatorIds: [],
    users: [{ email: 'rtm@t.nl', privileges: [] }],
  },
  {
    name: 'Bikes Inc',
    type: 'OPERATOR',
    municipalityCodes: [],
    operatorIds: ['op-bikes'],
    users: [{ email: 'bikes@t.nl', privileges: [] }],
  },
];
