import type { Knex } from 'knex';
import type { OrganisationType, Privilege } from '../lib/auth/scope';
import type { Db } from '../lib/db';

export interface DemoOrganisation {
  name: string;
  type: OrganisationType;
  municipalityCodes: string[];
  operatorIds: string[];
  users: { email: string; privileges: Privilege[] }[];
}

/** The demo's organisations and users; `npm run token -- <email>` signs in as any of them. */
export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    name: 'Platform administrators',
    type: 'ADMIN',
    municipalityCodes: [],
    operatorIds: [],
    users: [{ email: 'admin@example.org', privileges: [] }],
  },
  {
    name: 'Gemeente Amsterdam',
    type: 'MUNICIPALITY',
    municipalityCodes: ['GM0363'],
    operatorIds: [],
    users: [
      {
        email: 'amsterdam@example.org',
        privileges: ['ORGANISATION_ADMIN', 'MICROHUB_EDIT', 'DOWNLOAD_RAW_DATA'],
      },
      { email: 'analyst.amsterdam@example.org', privileges: [] },
    ],
  },
  {
    name: 'Gemeente Rotterdam',
    type: 'MUNICIPALITY',
    municipalityCodes: ['GM0599'],
    operatorIds: [],
    users: [
      { email: 'rotterdam@example.org', privileges: ['ORGANISATION_ADMIN', 'MICROHUB_EDIT'] },
    ],
  },
  {
    // `fietsje` is the first operator of the feed simulator that `npm start` runs.
    name: 'Fietsje',
    type: 'OPERATOR',
    municipalityCodes: [],
    operatorIds: ['fietsje'],
    users: [{ email: 'operator@example.org', privileges: ['ORGANISATION_ADMIN'] }],
  },
];

/** Inserts the organisation by name, or leaves an existing one as it is; returns its id. */
async function ensureOrganisation(
  trx: Knex.Transaction,
  org: Omit<DemoOrganisation, 'users'>,
): Promise<string> {
  const found = await trx('organisations')
    .whereRaw('lower(name) = lower(?)', [org.name])
    .first<{ id: string }>('id');
  if (found) return found.id;
  const [row] = await trx('organisations')
    .insert({
      name: org.name,
      type: org.type,
      municipality_codes: org.municipalityCodes,
      operator_ids: org.operatorIds,
    })
    .returning<{ id: string }[]>('id');
  await trx('organisation_history').insert({
    organisation_id: row!.id,
    changed_by: 'seed',
    after: JSON.stringify(org),
  });
  return row!.id;
}

async function ensureUser(
  trx: Knex.Transaction,
  organisationId: string,
  user: { email: string; privileges: Privilege[] },
): Promise<boolean> {
  const rows = await trx('users')
    .insert({ email: user.email, organisation_id: organisationId, privileges: user.privileges })
    .onConflict(trx.raw('(lower(email))'))
    .ignore()
    .returning('id');
  return rows.length > 0;
}

/** Idempotent: organisations and users that exist (by name / email) are left untouched. */
export async function seedIdentities(db: Db, organisations: DemoOrganisation[]): Promise<number> {
  return db.transaction(async (trx) => {
    let created = 0;
    for (const org of organisations) {
      const id = await ensureOrganisation(trx, org);
      for (const user of org.users) if (await ensureUser(trx, id, user)) created += 1;
    }
    return created;
  });
}

/** A first administrator for a new installation: `npm run seed -- --admin you@example.org`. */
export function adminOrganisation(email: string): DemoOrganisation {
  return {
    name: 'Platform administrators',
    type: 'ADMIN',
    municipalityCodes: [],
    operatorIds: [],
    users: [{ email, privileges: [] }],
  };
}

/**
 * Production refuses a database that holds the demo identities: with a real identity provider,
 * anyone able to get a token for `admin@example.org` would be a platform administrator.
 */
export async function assertNoDemoIdentities(db: Db): Promise<void> {
  const emails = DEMO_ORGANISATIONS.flatMap((org) => org.users.map((user) => user.email));
  const found = await db('users')
    .whereRaw('lower(email) = any(?)', [emails])
    .orderBy('email')
    .pluck<string[]>('email');
  if (found.length > 0) {
    throw new Error(
      `production start refused: the database holds the demo identities (${found.join(', ')}); ` +
        'it was seeded for a demo, use a database of its own for production',
    );
  }
}
