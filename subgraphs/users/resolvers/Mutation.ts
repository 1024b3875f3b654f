import type { Knex } from 'knex';
import { recordAudit, describeActor, type AuditEntry } from '../../../lib/audit';
import { channels } from '../../../lib/domain/channels';
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
  parseApiKeyExpiry,
  parseDashboard,
  parseEmail,
  parseName,
  parseOwnedMunicipalities,
  parseOwnedOperators,
  parseScheduleInput,
} from '../input';
import {
  generateApiKey,
  hashApiKey,
  type ApiKeyRow,
  type GrantRow,
  type OrganisationRow,
  type UserRow,
  userIdOf,
  usersWriter,
} from '../repository';

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
  const row = await usersWriter.existing<T>(trx, table, id);
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
  updateJobSchedule: (_parent, { name, input }, ctx) =>
    changeJobSchedule(ctx, 'update', name, parseScheduleInput('input', input)),

  pauseJobSchedule: (_parent, { name }, ctx) =>
    changeJobSchedule(ctx, 'pause', name, { enabled: false }),

  resumeJobSchedule: (_parent, { name }, ctx) =>
    changeJobSchedule(ctx, 'resume', name, { enabled: true }),

  runJobNow: (_parent, { name }, ctx) => changeJobSchedule(ctx, 'runNow', name, { runNow: true }),

  async createOrganisation(_parent, { input }, ctx) {
    requireAdmin(ctx.scope, 'createOrganisation');
    const row = {
      name: parseName('input.name', input.name),
      type: input.type,
      municipality_codes:
        parseOwnedMunicipalities('input.municipalityCodes', input.municipalityCodes) ?? [],
      operator_ids: parseOwnedOperators('input.operatorIds', input.operatorIds) ?? [],
      details: input.details ?? {},
    };
    try {
      return await change(
        ctx,
        (org: OrganisationRow) => ({
          action: 'organisation.create',
          targetType: 'Organisation',
          targetId: org.id,
        }),
        (trx) => usersWriter.insertOrganisation(trx, row, describeActor(ctx.scope)),
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
    const codes = parseOwnedMunicipalities('patch.municipalityCodes', patch.municipalityCodes);
    const operators = parseOwnedOperators('patch.operatorIds', patch.operatorIds);
    const write = {
      ...(patch.name ? { name: parseName('patch.name', patch.name) } : {}),
      ...(codes ? { municipality_codes: codes } : {}),
      ...(operators ? { operator_ids: operators } : {}),
      ...(patch.details !== undefined && patch.details !== null ? { details: patch.details } : {}),
    };
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
        return usersWriter.updateOrganisation(trx, before, write, describeActor(ctx.scope));
      },
      ownership,
    );
  },

  async createUser(_parent, { input }, ctx) {
    const orgId = parseId(input.organisationId, 'input.organisationId', 'organisation');
    requireOrganisationAdmin(ctx.scope, orgId, 'createUser');
    const email = parseEmail('input.email', input.email);
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
          return usersWriter.insertUser(trx, {
            email,
            organisation_id: orgId,
            privileges: input.privileges ?? [],
          });
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
        return usersWriter.updateUser(trx, userId, {
          ...(patch.privileges ? { privileges: [...new Set(patch.privileges)] } : {}),
          ...(patch.active !== undefined && patch.active !== null ? { active: patch.active } : {}),
        });
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
        return usersWriter.insertGrant(trx, {
          owner_organisation_id: owner,
          grantee_organisation_id: granteeOrg,
          grantee_user_id: granteeUser,
          created_by: describeActor(ctx.scope),
        });
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
        return usersWriter.revokeGrant(trx, grant, describeActor(ctx.scope));
      },
      true,
    );
  },

  async createApiKey(_parent, { input }, ctx) {
    const owner = requireUser(ctx.scope, 'createApiKey');
    const name = parseName('input.name', input.name);
    const expiresAt = parseApiKeyExpiry('input.expiresAt', input.expiresAt);
    const { key, prefix } = generateApiKey();
    const apiKey = await change(
      ctx,
      (row: ApiKeyRow) => ({
        action: 'apiKey.create',
        targetType: 'ApiKey',
        targetId: row.id,
        details: { name, prefix },
      }),
      (trx) =>
        usersWriter.insertApiKey(trx, {
          prefix,
          secret_hash: hashApiKey(key),
          name,
          owner_user_id: owner,
          expires_at: expiresAt,
        }),
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
        return usersWriter.revokeApiKey(trx, key);
      },
      true,
    );
  },

  saveDashboard(_parent, { input }, ctx) {
    const userId = requireUser(ctx.scope, 'saveDashboard');
    const { name, widgets } = parseDashboard('input', input);
    return usersWriter.saveDashboard(ctx.db.writer, userId, name, widgets);
  },

  deleteDashboard(_parent, { name }, ctx) {
    const userId = requireUser(ctx.scope, 'deleteDashboard');
    return usersWriter.deleteDashboard(ctx.db.writer, userId, name);
  },
};
