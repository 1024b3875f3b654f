import type { Knex } from 'knex';
import { recordAudit, type AuditEntry } from '../../../lib/audit';
import { badUserInput, notFound } from '../../../lib/errors';
import { parseOperatorId } from '../../../lib/graphql/input';
import type { FeedAuth } from '../../../lib/feeds/types';
import { verifyFeed, type FeedRegistration } from '../../../lib/feeds/verify';
import { parseId } from '../../../lib/ids';
import type { FeedPatch, MutationResolvers } from '../__generated__/resolvers-types';
import { requireFleetAdmin } from '../authorize';
import type { VehiclesContext } from '../context';
import { parseFeedAuth, parseHttpUrl, parseText } from '../input';
import { vehiclesWriter, type FeedDeletionRow, type FeedRow, type FeedWrite } from '../repository';

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

/** Runs a change and its audit entry in one transaction: both commit or neither does. */
function change<T>(
  ctx: VehiclesContext,
  audit: (result: T) => AuditEntry,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  return ctx.db.writer.transaction(async (trx) => {
    const result = await work(trx);
    await recordAudit(trx, ctx.scope, audit(result));
    return result;
  });
}

/** What the audit log keeps of a feed: everything but the credentials, of which only the type. */
function auditedFeed(feed: FeedWrite): Record<string, unknown> {
  const details: Record<string, unknown> = {
    operatorId: feed.operator_id,
    url: feed.url,
    type: feed.type,
    authType: feed.auth?.type,
    defaultFormFactor: feed.default_form_factor,
    defaultVehicleTypeId: feed.default_vehicle_type_id,
    active: feed.active,
    rotatingIds: feed.rotating_ids,
    vehicleTypesUrl: feed.vehicle_types_url,
    expectEmpty: feed.expect_empty,
  };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}

/** A patch as columns: absent fields stay; null clears only what may be empty. */
function feedPatch(patch: FeedPatch): FeedWrite {
  const notNull = <T>(field: keyof FeedPatch, value: T | null | undefined): T | undefined => {
    if (value === null) throw badUserInput(`patch.${field}`, 'cannot be null');
    return value;
  };
  const write: FeedWrite = {};
  const url = notNull('url', patch.url);
  if (url !== undefined) write.url = parseHttpUrl('patch.url', url);
  const type = notNull('type', patch.type);
  if (type !== undefined) write.type = type;
  const auth = notNull('auth', patch.auth);
  if (auth !== undefined) write.auth = parseFeedAuth('patch.auth', auth);
  // null: the id mode follows the feed's type again.
  if (patch.rotatingIds !== undefined) write.rotating_ids = patch.rotatingIds;
  if (patch.vehicleTypesUrl !== undefined) {
    write.vehicle_types_url =
      patch.vehicleTypesUrl === null
        ? null
        : parseHttpUrl('patch.vehicleTypesUrl', patch.vehicleTypesUrl);
  }
  const expectEmpty = notNull('expectEmpty', patch.expectEmpty);
  if (expectEmpty !== undefined) write.expect_empty = expectEmpty;
  if (patch.defaultFormFactor !== undefined) write.default_form_factor = patch.defaultFormFactor;
  if (patch.defaultVehicleTypeId !== undefined) {
    write.default_vehicle_type_id =
      patch.defaultVehicleTypeId === null
        ? null
        : parseText('patch.defaultVehicleTypeId', patch.defaultVehicleTypeId);
  }
  return write;
}

/**
 * Fetches and reads the feed once as the importer would (lib/feeds/verify.ts): the type that
 * reads it and the vehicle_types URL of a vehicle file registered directly, or BAD_USER_INPUT
 * naming the argument and saying what the URL is instead.
 */
async function verified(
  ctx: VehiclesContext,
  prefix: 'input' | 'patch',
  registration: FeedRegistration,
): Promise<{ type: FeedWrite['type']; vehicleTypesUrl: string | null }> {
  const result = await verifyFeed(registration, ctx.feedReading);
  if (!result.ok) throw badUserInput(`${prefix}.${result.field}`, result.message);
  return { type: result.type, vehicleTypesUrl: result.vehicleTypesUrl };
}

/** A patch that changes where or how the feed is read is checked against the stored feed. */
async function verifiedPatch(
  ctx: VehiclesContext,
  id: string,
  patch: FeedPatch,
  write: FeedWrite,
): Promise<FeedWrite> {
  const changesReading =
    write.url !== undefined ||
    write.type !== undefined ||
    write.auth !== undefined ||
    (write.vehicle_types_url !== undefined && write.vehicle_types_url !== null);
  if (patch.verify === false || !changesReading) return write;
  const stored = await vehiclesWriter.feedForReading(ctx.db.writer, id);
  if (!stored) throw notFound('feed', id);
  const pick = <T>(patched: T | undefined, current: T): T =>
    patched === undefined ? current : patched;
  const vehicleTypesUrl = pick(write.vehicle_types_url, stored.vehicle_types_url);
  const urlChanged = write.url !== undefined && write.url !== stored.url;
  const result = await verified(ctx, 'patch', {
    operatorId: stored.operator_id,
    url: pick(write.url, stored.url),
    type: pick(write.type, stored.type),
    auth: (write.auth ?? stored.auth) as unknown as FeedAuth,
    // A new URL finds its own vehicle_types unless the patch gives them.
    vehicleTypesUrl: urlChanged && write.vehicle_types_url === undefined ? null : vehicleTypesUrl,
    defaultFormFactor: pick(write.default_form_factor, stored.default_form_factor),
    defaultVehicleTypeId: pick(write.default_vehicle_type_id, stored.default_vehicle_type_id),
  });
  return { ...write, vehicle_types_url: result.vehicleTypesUrl };
}

async function updateFeed(
  ctx: VehiclesContext,
  id: string,
  write: FeedWrite,
  action: string,
): Promise<FeedRow> {
  try {
    return await change(
      ctx,
      () => ({ action, targetType: 'Feed', targetId: id, details: auditedFeed(write) }),
      async (trx) => {
        const updated = await vehiclesWriter.updateFeed(trx, id, write);
        if (!updated) throw notFound('feed', id);
        return updated;
      },
    );
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw badUserInput('patch.url', 'the operator already has a feed of this type at this URL');
    }
    throw err;
  }
}

export const Mutation: MutationResolvers = {
  async createOperator(_parent, { input }, ctx) {
    requireFleetAdmin(ctx.scope, 'createOperator');
    const row = {
      id: parseOperatorId('input.id', input.id),
      name: parseText('input.name', input.name),
    };
    try {
      return await change(
        ctx,
        () => ({
          action: 'operator.create',
          targetType: 'Operator',
          targetId: row.id,
          details: row,
        }),
        (trx) => vehiclesWriter.insertOperator(trx, row),
      );
    } catch (err) {
      if (isUniqueViolation(err))
        throw badUserInput('input.id', `operator ${row.id} exists already`);
      throw err;
    }
  },

  async renameOperator(_parent, { id, name }, ctx) {
    requireFleetAdmin(ctx.scope, 'renameOperator');
    const operatorId = parseOperatorId('id', id);
    const newName = parseText('name', name);
    return change(
      ctx,
      () => ({
        action: 'operator.rename',
        targetType: 'Operator',
        targetId: operatorId,
        details: { name: newName },
      }),
      async (trx) => {
        const renamed = await vehiclesWriter.renameOperator(trx, operatorId, newName);
        if (!renamed) throw notFound('operator', operatorId);
        return renamed;
      },
    );
  },

  async createFeed(_parent, { input }, ctx) {
    requireFleetAdmin(ctx.scope, 'createFeed');
    const verify = input.verify ?? true;
    if (!verify && !input.type) throw badUserInput('input.type', 'is required with verify: false');
    const write: FeedWrite = {
      operator_id: parseOperatorId('input.operatorId', input.operatorId),
      url: parseHttpUrl('input.url', input.url),
      type: input.type ?? undefined,
      auth: input.auth ? parseFeedAuth('input.auth', input.auth) : { type: 'NONE' },
      default_form_factor: input.defaultFormFactor ?? null,
      default_vehicle_type_id: input.defaultVehicleTypeId
        ? parseText('input.defaultVehicleTypeId', input.defaultVehicleTypeId)
        : null,
      active: input.active ?? true,
      rotating_ids: input.rotatingIds ?? null,
      vehicle_types_url: input.vehicleTypesUrl
        ? parseHttpUrl('input.vehicleTypesUrl', input.vehicleTypesUrl)
        : null,
    };
    if (!(await vehiclesWriter.operatorExists(ctx.db.writer, write.operator_id ?? ''))) {
      throw badUserInput('input.operatorId', `no operator ${write.operator_id}: create it first`);
    }
    if (verify) {
      const checked = await verified(ctx, 'input', {
        operatorId: write.operator_id ?? '',
        url: write.url ?? '',
        type: input.type ?? null,
        auth: write.auth as unknown as FeedAuth,
        vehicleTypesUrl: write.vehicle_types_url ?? null,
        defaultFormFactor: write.default_form_factor ?? null,
        defaultVehicleTypeId: write.default_vehicle_type_id ?? null,
      });
      write.type = checked.type;
      write.vehicle_types_url = checked.vehicleTypesUrl;
    }
    try {
      return await change(
        ctx,
        (feed: FeedRow) => ({
          action: 'feed.create',
          targetType: 'Feed',
          targetId: feed.id,
          details: auditedFeed(write),
        }),
        async (trx) => {
          if (!(await vehiclesWriter.operatorExists(trx, write.operator_id ?? ''))) {
            throw badUserInput(
              'input.operatorId',
              `no operator ${write.operator_id}: create it first`,
            );
          }
          return vehiclesWriter.insertFeed(trx, write);
        },
      );
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw badUserInput('input.url', 'the operator already has a feed of this type at this URL');
      }
      throw err;
    }
  },

  async updateFeed(_parent, { id, patch }, ctx) {
    requireFleetAdmin(ctx.scope, 'updateFeed');
    const feedId = parseId(id, 'id', 'feed');
    const write = await verifiedPatch(ctx, feedId, patch, feedPatch(patch));
    return updateFeed(ctx, feedId, write, 'feed.update');
  },

  deleteFeed(_parent, { id, mode }, ctx) {
    requireFleetAdmin(ctx.scope, 'deleteFeed');
    const feedId = parseId(id, 'id', 'feed');
    return change(
      ctx,
      (deleted: FeedDeletionRow) => ({
        action: mode === 'PURGE' ? 'feed.purge' : 'feed.delete',
        targetType: 'Feed',
        targetId: feedId,
        details: {
          mode,
          vehiclesRemoved: deleted.vehiclesRemoved,
          parkEventsRemoved: deleted.parkEventsRemoved,
          tripsRemoved: deleted.tripsRemoved,
          rentalsRemoved: deleted.rentalsRemoved,
          nonOperationalPeriodsRemoved: deleted.nonOperationalPeriodsRemoved,
          recountFrom: deleted.recountFrom?.toISOString() ?? null,
          recountTo: deleted.recountTo?.toISOString() ?? null,
        },
      }),
      async (trx) => {
        const deleted = await vehiclesWriter.deleteFeed(trx, feedId, mode);
        if (!deleted) throw notFound('feed', feedId);
        return deleted;
      },
    );
  },

  setFeedActive(_parent, { id, active }, ctx) {
    requireFleetAdmin(ctx.scope, 'setFeedActive');
    return updateFeed(
      ctx,
      parseId(id, 'id', 'feed'),
      { active },
      active ? 'feed.activate' : 'feed.deactivate',
    );
  },
};
