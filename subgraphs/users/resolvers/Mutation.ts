import type { Knex } from 'knex';
import { recordAudit, describeActor, type AuditEntry } from '../../../lib/audit';
import { channels } from '../../../lib/domain/channels';
import { OPERATOR_ID_PATTERN } from '../../../lib/domain/fleet';
import {
  MUNICIPALITY_CODE_EXAMPLE,
  MUNICIPALITY_CODE_PATTERN,
} from '../../../lib/domain/municipalities';
import {
  changeSchedule,
  ScheduleError,
  type JobScheduleRow,
  type ScheduleChange,
} from '../../../lib/domain/jobSchedules';
import { badUserInput, notFound } from '../../../lib/errors';
import { parseId } from '../../../lib/ids';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import { requireAdmin } from '../../../lib/auth/scope';
import { requireManagedEntity, requireOrganisationAdmin, requireUser } from '../authorize';
import type { UsersContext } from '../context';
import {
  generateApiKey,
  hashApiKey,
  type ApiKeyRow,
  type DashboardRow,
  type GrantRow,
  type OrganisationRow,
  type UserRow,
  userIdOf,
} from '../repository';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;
const MAX_WIDGETS = 100;
/** Everything but the secret's hash. */
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

function checkName(argumentName: string, name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_NAME) {
    throw badUserInput(argumentName, `must be 1 to ${MAX_NAME} characters`);
  }
  return trimmed;
}

function checkAll(
  argumentName: string,
  values: readonly string[] | null | undefined,
  pattern: RegExp,
  what: string,
) {
  if (!values) return undefined;
  const bad = values.find((v) => !pattern.test(v));
  if (bad !== undefined) throw badUserInput(argumentName, `"${bad}" is not ${what}`);
  return [...new Set(values)].sort();
}

const municipalityCodes = (arg: string, v: readonly string[] | null | undefined) =>
  checkAll(arg, v, MUNICIPALITY_CODE_PATTERN, MUNICIPALITY_CODE_EXAMPLE);
const operatorIds = (arg: string, v: readonly string[] | null | undefined) =>
  checkAll(arg, v, OPERATOR_ID_PATTERN, 'an operator id (lowercase letters, digits, - and _)');

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

/**
 * Runs a change and its audit entry in one transaction, then tells every gateway to drop cached
 * scopes when the change can alter what someone sees.
 */
async function change<T>(
  ctx: UsersContext,
  audit: (result: T) => AuditEntry,
  work: (trx: Knex.Transaction) => Promise<T>,
  invalidatesScopes: boolean,
): Promise<T> {
  const result = await ctx.db.writer.transaction(async (trx) => {
    const value = await work(trx);
    await recordAudit(trx, ctx.scope, audit(value));
    return value;
  });
  if (invalidatesScopes) await ctx.pubsub.publish(channels.scopeInvalidated, { at: Date.now() });
  return result;
}

async function existing<T>(
  trx: Knex.Transaction,
  table: string,
  entity: string,
  id: string,
): Promise<T> {
  const row = (await trx(table).where('id', id).first()) as T | undefined;
  if (!row) throw notFound(entity, id);
  return row;
}

/** A schedule change by an administrator, audited in the same transaction. */
async function changeJobSchedule(
  ctx: UsersContext,
  action: string,
  name: string,
  change: ScheduleChange,
): Promise<JobScheduleRow> {
  requireAdmin(ctx.scope, action);
  try {
    return await ctx.db.writer.transaction(async (trx) => {
      const row = await changeSchedule(trx, name, change, describeActor(ctx.scope));
      if (!row) throw notFound('job schedule', name);
      await recordAudit(trx, ctx.scope, {
        action: `jobSchedule.${action}`,
        targetType: 'JobSchedule',
        targetId: name,
        details: { ...change },
      });
      return row;
    });
  } catch (err) {
    if (err instanceof ScheduleError) throw badUserInput(`input.${err.field}`, err.message);
    throw err;
  }
}

export const Mutation: MutationResolvers = {
  updateJobSchedule(_parent, { name, input }, ctx) {
    const given = [input.intervalMs, input.cron].filter((v) => v !== null && v !== undefined);
    if (given.length !== 1 && !(given.length === 0 && input.timeZone)) {
      throw badUserInput('input', 'give either intervalMs or cron (with an optional timeZone)');
    }
    if (input.intervalMs !== null && input.intervalMs !== undefined && input.timeZone) {
      throw badUserInput('input.timeZone', 'applies to a cron expression only');
    }
    return changeJobSchedule(ctx, 'update', name, {
      intervalMs: input.intervalMs ?? undefined,
      cron: input.cron ?? undefined,
      timeZone: input.timeZone ?? undefined,
    });
  },

  pauseJobSchedule: (_parent, { name }, ctx) =>
    changeJobSchedule(ctx, 'pause', name, { enabled: false }),

  resumeJobSchedule: (_parent, { name }, ctx) =>
    changeJobSchedule(ctx, 'resume', name, { enabled: true }),

  runJobNow: (_parent, { name }, ctx) => changeJobSchedule(ctx, 'runNow', name, { runNow: true }),

  async createOrganisation(_parent, { input }, ctx) {
    requireAdmin(ctx.scope, 'createOrganisation');
    const row = {
      name: checkName('input.name', input.name),
      type: input.type,
      municipality_codes:
        municipalityCodes('input.municipalityCodes', input.municipalityCodes) ?? [],
      operator_ids: operatorIds('input.operatorIds', input.operatorIds) ?? [],
      details: JSON.stringify(input.details ?? {}),
    };
    try {
      return await change(
        ctx,
        (org: OrganisationRow) => ({
          action: 'organisation.create',
          targetType: 'Organisation',
          targetId: org.id,
        }),
        async (trx) => {
          const [org] = await trx('organisations').insert(row).returning<OrganisationRow[]>('*');
          await trx('organisation_history').insert({
            organisation_id: org!.id,
            changed_by: describeActor(ctx.scope),
            after: JSON.stringify(org),
          });
          return org!;
        },
        false,
      );
    } catch (err) {
      if (isUniqueViolation(err))
        throw badUserInput('input.name', `an organisation named "${row.name}" exists`);
      throw err;
    }
  },

  async updateOrganisation(_parent, { id, patch }, ctx) {
    const orgId = parseId(id, 'id', 'organisation');
    requireOrganisationAdmin(ctx.scope, orgId, 'updateOrganisation');
    const ownership = patch.municipalityCodes !== undefined || patch.operatorIds !== undefined;
    if (ownership) requireAdmin(ctx.scope, 'changing what an organisation owns');
    return change(
      ctx,
      () => ({
        action: 'organisation.update',
        targetType: 'Organisation',
        targetId: orgId,
        details: { patch },
      }),
      async (trx) => {
        const before = await existing<OrganisationRow>(trx, 'organisations', 'organisation', orgId);
        const codes = municipalityCodes('patch.municipalityCodes', patch.municipalityCodes);
        const operators = operatorIds('patch.operatorIds', patch.operatorIds);
        const [after] = await trx('organisations')
          .where('id', orgId)
          .update({
            ...(patch.name ? { name: checkName('patch.name', patch.name) } : {}),
            ...(codes ? { municipality_codes: codes } : {}),
            ...(operators ? { operator_ids: operators } : {}),
            ...(patch.details !== undefined && patch.details !== null
              ? { details: JSON.stringify(patch.details) }
              : {}),
            updated_at: trx.fn.now(),
          })
          .returning<OrganisationRow[]>('*');
        await trx('organisation_history').insert({
          organisation_id: orgId,
          changed_by: describeActor(ctx.scope),
          before: JSON.stringify(before),
          after: JSON.stringify(after),
        });
        return after!;
      },
      ownership,
    );
  },

  async createUser(_parent, { input }, ctx) {
    const orgId = parseId(input.organisationId, 'input.organisationId', 'organisation');
    requireOrganisationAdmin(ctx.scope, orgId, 'createUser');
    const email = input.email.trim();
    if (!EMAIL.test(email))
      throw badUserInput('input.email', `"${input.email}" is not an email address`);
    try {
      return await change(
        ctx,
        (user: UserRow) => ({
          action: 'user.create',
          targetType: 'User',
          targetId: user.id,
          details: { email },
        }),
        async (trx) => {
          await existing(trx, 'organisations', 'organisation', orgId);
          const [user] = await trx('users')
            .insert({ email, organisation_id: orgId, privileges: input.privileges ?? [] })
            .returning<UserRow[]>('*');
          return user!;
        },
        false,
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Only an ADMIN may learn where an email is in use: to an organisation admin the answer
      // is the same whether the account is in its own organisation or in another one.
      if (ctx.scope.admin) throw badUserInput('input.email', `a user with email ${email} exists`);
      throw badUserInput(
        'input.email',
        `${email} cannot be added: the address is already in use; ask a platform administrator`,
      );
    }
  },

  async updateUser(_parent, { id, patch }, ctx) {
    const userId = parseId(id, 'id', 'user');
    return change(
      ctx,
      () => ({ action: 'user.update', targetType: 'User', targetId: userId, details: { patch } }),
      async (trx) => {
        const user = await existing<UserRow>(trx, 'users', 'user', userId);
        requireManagedEntity(ctx.scope, user.organisation_id, 'user', userId, 'updateUser');
        const [updated] = await trx('users')
          .where('id', userId)
          .update({
            ...(patch.privileges ? { privileges: [...new Set(patch.privileges)] } : {}),
            ...(patch.active !== undefined && patch.active !== null
              ? { active: patch.active }
              : {}),
            updated_at: trx.fn.now(),
          })
          .returning<UserRow[]>('*');
        return updated!;
      },
      true,
    );
  },

  async grantDataAccess(_parent, { input }, ctx) {
    const owner = input.ownerOrganisationId
      ? parseId(input.ownerOrganisationId, 'input.ownerOrganisationId', 'organisation')
      : ctx.scope.organisationId;
    if (!owner)
      throw badUserInput(
        'input.ownerOrganisationId',
        'the caller has no organisation: name the owner',
      );
    requireOrganisationAdmin(ctx.scope, owner, 'grantDataAccess');
    const granteeOrg = input.granteeOrganisationId
      ? parseId(input.granteeOrganisationId, 'input.granteeOrganisationId', 'organisation')
      : null;
    const granteeUser = input.granteeUserId
      ? parseId(input.granteeUserId, 'input.granteeUserId', 'user')
      : null;
    if ((granteeOrg === null) === (granteeUser === null)) {
      throw badUserInput('input', 'give exactly one of granteeOrganisationId and granteeUserId');
    }
    if (granteeOrg === owner)
      throw badUserInput(
        'input.granteeOrganisationId',
        'an organisation already sees its own data',
      );
    return change(
      ctx,
      (grant: GrantRow) => ({
        action: 'grant.create',
        targetType: 'DataAccessGrant',
        targetId: grant.id,
        details: { owner, granteeOrganisationId: granteeOrg, granteeUserId: granteeUser },
      }),
      async (trx) => {
        await existing(trx, 'organisations', 'organisation', owner);
        if (granteeOrg) await existing(trx, 'organisations', 'organisation', granteeOrg);
        if (granteeUser) await existing(trx, 'users', 'user', granteeUser);
        const [grant] = await trx('data_access_grants')
          .insert({
            owner_organisation_id: owner,
            grantee_organisation_id: granteeOrg,
            grantee_user_id: granteeUser,
            created_by: describeActor(ctx.scope),
          })
          .returning<GrantRow[]>('*');
        return grant!;
      },
      true,
    );
  },

  async revokeDataAccess(_parent, { id }, ctx) {
    const grantId = parseId(id, 'id', 'grant');
    return change(
      ctx,
      () => ({ action: 'grant.revoke', targetType: 'DataAccessGrant', targetId: grantId }),
      async (trx) => {
        const grant = await existing<GrantRow>(trx, 'data_access_grants', 'grant', grantId);
        requireOrganisationAdmin(ctx.scope, grant.owner_organisation_id, 'revokeDataAccess');
        const [revoked] = await trx('data_access_grants')
          .where('id', grantId)
          .update({
            revoked_at: grant.revoked_at ?? trx.fn.now(),
            revoked_by: describeActor(ctx.scope),
          })
          .returning<GrantRow[]>('*');
        return revoked!;
      },
      true,
    );
  },

  async createApiKey(_parent, { input }, ctx) {
    const owner = requireUser(ctx.scope, 'createApiKey');
    const name = checkName('input.name', input.name);
    if (input.expiresAt && input.expiresAt <= new Date()) {
      throw badUserInput('input.expiresAt', 'must be in the future');
    }
    const { key, prefix } = generateApiKey();
    const apiKey = await change(
      ctx,
      (row: ApiKeyRow) => ({
        action: 'apiKey.create',
        targetType: 'ApiKey',
        targetId: row.id,
        details: { name, prefix },
      }),
      async (trx) => {
        const [row] = await trx('api_keys')
          .insert({
            prefix,
            secret_hash: hashApiKey(key),
            name,
            owner_user_id: owner,
            expires_at: input.expiresAt ?? null,
          })
          .returning<ApiKeyRow[]>(API_KEY_COLUMNS);
        return row!;
      },
      false,
    );
    return { apiKey, secret: key };
  },

  async revokeApiKey(_parent, { id }, ctx) {
    const keyId = parseId(id, 'id', 'API key');
    return change(
      ctx,
      () => ({ action: 'apiKey.revoke', targetType: 'ApiKey', targetId: keyId }),
      async (trx) => {
        const key = await existing<ApiKeyRow>(trx, 'api_keys', 'API key', keyId);
        const owner = await existing<UserRow>(trx, 'users', 'user', key.owner_user_id);
        if (userIdOf(ctx.scope) !== owner.id) {
          requireManagedEntity(ctx.scope, owner.organisation_id, 'API key', keyId, 'revokeApiKey');
        }
        const [revoked] = await trx('api_keys')
          .where('id', keyId)
          .update({ revoked_at: key.revoked_at ?? trx.fn.now() })
          .returning<ApiKeyRow[]>(API_KEY_COLUMNS);
        return revoked!;
      },
      true,
    );
  },

  async saveDashboard(_parent, { input }, ctx) {
    const userId = requireUser(ctx.scope, 'saveDashboard');
    const name = checkName('input.name', input.name);
    if (input.widgets.length > MAX_WIDGETS) {
      throw badUserInput('input.widgets', `at most ${MAX_WIDGETS} widgets`);
    }
    const widgets = input.widgets.map((w, i) => {
      if (w.width < 1 || w.height < 1 || w.x < 0 || w.y < 0) {
        throw badUserInput(`input.widgets[${i}]`, 'position must be >= 0 and size >= 1');
      }
      return { ...w, variables: w.variables ?? {} };
    });
    const [row] = await ctx.db
      .writer('dashboards')
      .insert({ user_id: userId, name, widgets: JSON.stringify(widgets) })
      .onConflict(['user_id', 'name'])
      .merge({ widgets: JSON.stringify(widgets), updated_at: ctx.db.writer.fn.now() })
      .returning<DashboardRow[]>('*');
    return row!;
  },

  async deleteDashboard(_parent, { name }, ctx) {
    const userId = requireUser(ctx.scope, 'deleteDashboard');
    const deleted = await ctx.db.writer('dashboards').where({ user_id: userId, name }).delete();
    return deleted > 0;
  },
};
