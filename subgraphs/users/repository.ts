import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrganisationType, Privilege, Scope } from '../../lib/auth/scope';
import type { ScopedDb } from '../../lib/auth/scopedDb';
import type { Db } from '../../lib/db';

export interface OrganisationRow {
  id: string;
  name: string;
  type: OrganisationType;
  municipality_codes: string[];
  operator_ids: string[];
  details: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export interface UserRow {
  id: string;
  email: string;
  organisation_id: string;
  privileges: Privilege[];
  active: boolean;
  created_at: Date;
}

export interface GrantRow {
  id: string;
  owner_organisation_id: string;
  grantee_organisation_id: string | null;
  grantee_user_id: string | null;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

export interface ApiKeyRow {
  id: string;
  prefix: string;
  name: string;
  owner_user_id: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface DashboardWidgetRow {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  query: string;
  variables: unknown;
}

export interface DashboardRow {
  id: string;
  user_id: string;
  name: string;
  widgets: DashboardWidgetRow[];
  updated_at: Date;
}

export interface AuditRow {
  id: string;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

export interface HistoryRow {
  changed_at: Date;
  changed_by: string;
  before: unknown;
  after: unknown;
}

const API_KEY_PATTERN = /^mk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `mk_<12 char prefix>_<43 char secret>`: the prefix finds the row, the hash proves the key. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  return { key: `mk_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

export function userIdOf(scope: Scope): string | null {
  return scope.principal.type === 'USER' ? scope.principal.userId : null;
}

/**
 * Reads of the identity tables, narrowed to what the caller may see: ADMIN everything; an
 * ORGANISATION_ADMIN its organisation; anyone else themselves (and organisations related to them
 * by a grant, so a grant's owner is never hidden from its grantee).
 */
export function createUsersRepository(scoped: ScopedDb) {
  const { scope } = scoped;
  const orgAdmin = scope.admin || scope.privileges.includes('ORGANISATION_ADMIN');
  const self = userIdOf(scope);

  const relatedOrganisationIds = (q: Knex.QueryBuilder): void => {
    q.select('owner_organisation_id')
      .from('data_access_grants')
      .whereNull('revoked_at')
      .andWhere((g) => {
        g.where('grantee_organisation_id', scope.organisationId ?? null);
        if (self) g.orWhere('grantee_user_id', self);
      })
      .union((u) => {
        u.select('grantee_organisation_id')
          .from('data_access_grants')
          .whereNull('revoked_at')
          .where('owner_organisation_id', scope.organisationId ?? null);
      });
  };

  const organisations = () =>
    scoped.from('organisations', {
      organisationColumn: 'id',
      public: (q) => {
        q.whereIn('id', relatedOrganisationIds);
      },
    });

  const users = () => {
    const q = scoped.from('users', { organisationColumn: 'organisation_id' });
    return orgAdmin ? q : q.where('id', self);
  };

  const grants = () =>
    scoped.from('data_access_grants', {
      organisationColumn: 'owner_organisation_id',
      public: (q) => {
        q.where('grantee_organisation_id', scope.organisationId ?? null);
        if (self) q.orWhere('grantee_user_id', self);
      },
    });

  return {
    organisationsByIds: (ids: readonly string[]) =>
      organisations().whereIn('id', ids).select<OrganisationRow[]>('*'),
    listOrganisations: () => organisations().select<OrganisationRow[]>('*').orderBy('name'),
    organisationHistory: (id: string) =>
      scoped
        .from('organisation_history', { organisationColumn: 'organisation_id' })
        .where('organisation_id', id)
        .select<HistoryRow[]>('changed_at', 'changed_by', 'before', 'after')
        .orderBy('changed_at', 'desc')
        .orderBy('id', 'desc'),

    usersByIds: (ids: readonly string[]) => users().whereIn('id', ids).select<UserRow[]>('*'),
    usersOfOrganisation: (organisationId: string) =>
      users().where('organisation_id', organisationId).select<UserRow[]>('*').orderBy('email'),

    listGrants: (includeRevoked: boolean) => {
      const q = grants().select<GrantRow[]>('*').orderBy('created_at', 'desc');
      return includeRevoked ? q : q.whereNull('revoked_at');
    },
    grantById: (id: string) => grants().where('id', id).first<GrantRow | undefined>('*'),

    listApiKeys: () => {
      const q = scoped
        .from('api_keys', {
          public: (k) => {
            k.where('owner_user_id', self);
          },
        })
        .select<ApiKeyRow[]>('api_keys.*')
        .orderBy('created_at', 'desc');
      if (!orgAdmin || scope.admin) return q;
      return q.orWhereIn('owner_user_id', (u) => {
        u.select('id').from('users').where('organisation_id', scope.organisationId);
      });
    },

    dashboards: () =>
      scoped
        .from('dashboards', {
          public: (q) => {
            q.where('user_id', self);
          },
        })
        .where('user_id', self)
        .select<DashboardRow[]>('*')
        .orderBy('name'),

    auditLog: (
      filter: { organisationId?: string; action?: string; since?: Date },
      first: number,
    ) => {
      const q = scoped
        .from('audit_log', { organisationColumn: 'actor_organisation_id' })
        .select<AuditRow[]>('*')
        .orderBy('id', 'desc')
        .limit(first);
      if (filter.organisationId) q.where('actor_organisation_id', filter.organisationId);
      if (filter.action) q.where('action', filter.action);
      if (filter.since) q.where('at', '>=', filter.since);
      return q;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

/** The scope a user's credentials carry: own organisation's data plus every active grant's. */
export async function resolveUserScope(
  db: Db,
  user: UserRow,
  principal: Scope['principal'],
): Promise<Scope | null> {
  const org = await db('organisations').where('id', user.organisation_id).first<OrganisationRow>();
  if (!org) return null;
  const granted = await db('data_access_grants as g')
    .join('organisations as o', 'o.id', 'g.owner_organisation_id')
    .whereNull('g.revoked_at')
    .andWhere((q) => {
      q.where('g.grantee_organisation_id', org.id).orWhere('g.grantee_user_id', user.id);
    })
    .select<{ municipality_codes: string[]; operator_ids: string[] }[]>(
      'o.municipality_codes',
      'o.operator_ids',
    );
  const municipalities = new Set(org.municipality_codes);
  const operators = new Set(org.operator_ids);
  for (const grant of granted) {
    grant.municipality_codes.forEach((code) => municipalities.add(code));
    grant.operator_ids.forEach((id) => operators.add(id));
  }
  return {
    principal,
    organisationId: org.id,
    organisationType: org.type,
    admin: org.type === 'ADMIN',
    privileges: user.privileges,
    municipalities: [...municipalities].sort(),
    ownMunicipalities: [...org.municipality_codes].sort(),
    operators: [...operators].sort(),
  };
}

export async function findActiveUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db('users')
    .whereRaw('lower(email) = lower(?)', [email])
    .andWhere('active', true)
    .first<UserRow | undefined>();
}

export type ApiKeyCheck =
  { ok: true; key: ApiKeyRow; user: UserRow } | { ok: false; reason: string };

/** Finds the key by prefix, compares hashes, and refuses revoked, expired or orphaned keys. */
export async function checkApiKey(
  db: Db,
  presented: string,
  now = new Date(),
): Promise<ApiKeyCheck> {
  const match = API_KEY_PATTERN.exec(presented);
  if (!match) return { ok: false, reason: 'malformed API key' };
  const row = await db('api_keys')
    .where('prefix', match[1])
    .first<(ApiKeyRow & { secret_hash: string }) | undefined>();
  if (!row || row.secret_hash !== hashApiKey(presented))
    return { ok: false, reason: 'unknown API key' };
  if (row.revoked_at) return { ok: false, reason: 'API key revoked' };
  if (row.expires_at && row.expires_at <= now) return { ok: false, reason: 'API key expired' };
  const user = await db('users').where({ id: row.owner_user_id, active: true }).first<UserRow>();
  if (!user) return { ok: false, reason: 'the owner of this API key is not active' };
  // Throttled so a busy key doesn't write on every request.
  await db('api_keys')
    .where('id', row.id)
    .andWhere((q) => {
      q.whereNull('last_used_at').orWhere('last_used_at', '<', new Date(now.getTime() - 60_000));
    })
    .update({ last_used_at: now });
  const { secret_hash: _hash, ...key } = row;
  return { ok: true, key, user };
}

/** Everything of an API key but the secret's hash. */
const API_KEY_COLUMNS = [
  'id',
  'prefix',
  'name',
  'owner_user_id',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
];

export interface OrganisationWrite {
  name?: string;
  type?: OrganisationType;
  municipality_codes?: string[];
  operator_ids?: string[];
  details?: unknown;
}

/**
 * Writes of the identity tables, inside the mutation's transaction, after the resolver has checked
 * that the caller may. Organisation changes keep their before / after in `organisation_history`.
 */
export const usersWriter = {
  async existing<T>(trx: Knex.Transaction, table: string, id: string): Promise<T | undefined> {
    return (await trx(table).where('id', id).first()) as T | undefined;
  },

  async insertOrganisation(
    trx: Knex.Transaction,
    row: Required<OrganisationWrite>,
    changedBy: string,
  ): Promise<OrganisationRow> {
    const [org] = await trx('organisations')
      .insert({ ...row, details: JSON.stringify(row.details) })
      .returning<OrganisationRow[]>('*');
    await trx('organisation_history').insert({
      organisation_id: org!.id,
      changed_by: changedBy,
      after: JSON.stringify(org),
    });
    return org!;
  },

  async updateOrganisation(
    trx: Knex.Transaction,
    before: OrganisationRow,
    patch: OrganisationWrite,
    changedBy: string,
  ): Promise<OrganisationRow> {
    const { details, ...rest } = patch;
    const [after] = await trx('organisations')
      .where('id', before.id)
      .update({
        ...rest,
        ...(details !== undefined ? { details: JSON.stringify(details) } : {}),
        updated_at: trx.fn.now(),
      })
      .returning<OrganisationRow[]>('*');
    await trx('organisation_history').insert({
      organisation_id: before.id,
      changed_by: changedBy,
      before: JSON.stringify(before),
      after: JSON.stringify(after),
    });
    return after!;
  },

  async insertUser(
    trx: Knex.Transaction,
    row: { email: string; organisation_id: string; privileges: Privilege[] },
  ): Promise<UserRow> {
    const [user] = await trx('users').insert(row).returning<UserRow[]>('*');
    return user!;
  },

  async updateUser(
    trx: Knex.Transaction,
    id: string,
    patch: { privileges?: Privilege[]; active?: boolean },
  ): Promise<UserRow> {
    const [user] = await trx('users')
      .where('id', id)
      .update({ ...patch, updated_at: trx.fn.now() })
      .returning<UserRow[]>('*');
    return user!;
  },

  async insertGrant(
    trx: Knex.Transaction,
    row: {
      owner_organisation_id: string;
      grantee_organisation_id: string | null;
      grantee_user_id: string | null;
      created_by: string;
    },
  ): Promise<GrantRow> {
    const [grant] = await trx('data_access_grants').insert(row).returning<GrantRow[]>('*');
    return grant!;
  },

  /** Revoking twice keeps the first revocation's time. */
  async revokeGrant(trx: Knex.Transaction, grant: GrantRow, revokedBy: string): Promise<GrantRow> {
    const [revoked] = await trx('data_access_grants')
      .where('id', grant.id)
      .update({ revoked_at: grant.revoked_at ?? trx.fn.now(), revoked_by: revokedBy })
      .returning<GrantRow[]>('*');
    return revoked!;
  },

  async insertApiKey(
    trx: Knex.Transaction,
    row: {
      prefix: string;
      secret_hash: string;
      name: string;
      owner_user_id: string;
      expires_at: Date | null;
    },
  ): Promise<ApiKeyRow> {
    const [key] = await trx('api_keys').insert(row).returning<ApiKeyRow[]>(API_KEY_COLUMNS);
    return key!;
  },

  /** Revoking twice keeps the first revocation's time. */
  async revokeApiKey(trx: Knex.Transaction, key: ApiKeyRow): Promise<ApiKeyRow> {
    const [revoked] = await trx('api_keys')
      .where('id', key.id)
      .update({ revoked_at: key.revoked_at ?? trx.fn.now() })
      .returning<ApiKeyRow[]>(API_KEY_COLUMNS);
    return revoked!;
  },

  /** A user's dashboards are named; saving under a taken name replaces that dashboard. */
  async saveDashboard(
    db: Knex,
    userId: string,
    name: string,
    widgets: DashboardWidgetRow[],
  ): Promise<DashboardRow> {
    const [row] = await db('dashboards')
      .insert({ user_id: userId, name, widgets: JSON.stringify(widgets) })
      .onConflict(['user_id', 'name'])
      .merge({ widgets: JSON.stringify(widgets), updated_at: db.fn.now() })
      .returning<DashboardRow[]>('*');
    return row!;
  },

  async deleteDashboard(db: Knex, userId: string, name: string): Promise<boolean> {
    return (await db('dashboards').where({ user_id: userId, name }).delete()) > 0;
  },
};
