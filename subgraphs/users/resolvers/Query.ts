import { listSchedules, runsPage, schedulesByName } from '../../../lib/domain/jobSchedules';
import { badUserInput, forbidden } from '../../../lib/errors';
import { parseId } from '../../../lib/ids';
import { decodeCursor, pageSize, toConnection } from '../../../lib/pagination';
import { requireAdmin } from '../../../lib/auth/scope';
import { ADMIN_ONLY } from '../authorize';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { checkApiKey, findActiveUserByEmail, resolveUserScope } from '../repository';

const MAX_AUDIT_ENTRIES = 1000;

export const Query: QueryResolvers = {
  jobSchedules(_parent, _args, { scope, db }) {
    requireAdmin(scope, 'jobSchedules');
    return listSchedules((table) => db.from(table, ADMIN_ONLY));
  },

  async jobSchedule(_parent, { name }, { scope, db }) {
    requireAdmin(scope, 'jobSchedule');
    const [row] = await schedulesByName((table) => db.from(table, ADMIN_ONLY), [name]);
    return row ?? null;
  },

  async jobRuns(_parent, { schedule, status, first, after }, { scope, db }) {
    requireAdmin(scope, 'jobRuns');
    const size = pageSize(first, { defaultSize: 50, maxSize: 500 });
    const keyset = after ? decodeCursor(after, 1) : undefined;
    const beforeId = keyset?.[0];
    if (beforeId !== undefined && !/^\d+$/.test(String(beforeId))) {
      throw badUserInput('after', 'is not a cursor returned by this API');
    }
    const { rows, totalCount } = await runsPage(
      (table) => db.from(table, ADMIN_ONLY),
      {
        scheduleName: schedule ?? undefined,
        status: status ? (status.toLowerCase() as 'running' | 'succeeded' | 'failed') : undefined,
      },
      size + 1,
      beforeId === undefined ? undefined : String(beforeId),
    );
    return toConnection(rows, size, (r) => [r.id], {
      totalCount,
      hasPreviousPage: keyset !== undefined,
    });
  },

  me: (_parent, _args, { scope }) => scope,

  organisations: (_parent, _args, { reader }) => reader.listOrganisations(),

  organisation: (_parent, { id }, { loaders }) =>
    loaders.organisationById.load(parseId(id, 'id', 'organisation')),

  users(_parent, { organisationId }, { reader, scope }) {
    const org = organisationId
      ? parseId(organisationId, 'organisationId', 'organisation')
      : scope.organisationId;
    return org ? reader.usersOfOrganisation(org) : [];
  },

  user: (_parent, { id }, { loaders }) => loaders.userById.load(parseId(id, 'id', 'user')),

  dataAccessGrants: (_parent, { includeRevoked }, { reader }) =>
    reader.listGrants(includeRevoked ?? false),

  apiKeys: (_parent, _args, { reader }) => reader.listApiKeys(),

  dashboards: (_parent, _args, { reader }) => reader.dashboards(),

  async dashboard(_parent, { name }, { reader }) {
    const all = await reader.dashboards();
    return all.find((d) => d.name === name) ?? null;
  },

  auditLog(_parent, { filter, first }, { reader, scope }) {
    if (!scope.admin && !scope.privileges.includes('ORGANISATION_ADMIN')) {
      throw forbidden('the audit log needs ADMIN or ORGANISATION_ADMIN');
    }
    const limit = Math.min(Math.max(first ?? 100, 1), MAX_AUDIT_ENTRIES);
    return reader.auditLog(
      {
        organisationId: filter?.organisationId
          ? parseId(filter.organisationId, 'filter.organisationId', 'organisation')
          : undefined,
        action: filter?.action ?? undefined,
        since: filter?.since ?? undefined,
      },
      limit,
    );
  },

  async _resolveScope(_parent, { email, apiKey }, { scope, db }) {
    if (scope.principal.type !== 'SERVICE')
      throw forbidden('_resolveScope is for the gateway only');
    const writer = db.writer;
    if (apiKey) {
      const check = await checkApiKey(writer, apiKey);
      if (!check.ok) return { scope: null, reason: check.reason };
      const resolved = await resolveUserScope(writer, check.user, {
        type: 'API_KEY',
        apiKeyId: check.key.id,
      });
      return resolved
        ? { scope: resolved, reason: null }
        : { scope: null, reason: 'no organisation' };
    }
    if (email) {
      const user = await findActiveUserByEmail(writer, email);
      if (!user) return { scope: null, reason: `no active user with email ${email}` };
      const resolved = await resolveUserScope(writer, user, {
        type: 'USER',
        userId: user.id,
        email: user.email,
      });
      return resolved
        ? { scope: resolved, reason: null }
        : { scope: null, reason: 'no organisation' };
    }
    return { scope: null, reason: 'neither email nor apiKey given' };
  },
};
