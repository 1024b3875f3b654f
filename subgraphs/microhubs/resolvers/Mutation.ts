import { randomUUID } from 'node:crypto';
import { recordAudit, type AuditEntry } from '../../../lib/audit';
import { channels } from '../../../lib/domain/channels';
import { publishHubEvents } from '../../../lib/domain/hubs/events';
import type { HubRow } from '../../../lib/domain/hubs/model';
import { refreshHubStatuses } from '../../../lib/domain/hubs/recount';
import { createHubStore, type HubPatch, type HubStore } from '../../../lib/domain/hubs/store';
import { badUserInput, notFound } from '../../../lib/errors';
import { shareInside } from '../../../lib/geo/areaShape';
import { geometryBbox } from '../../../lib/geo/geometry';
import { parseId } from '../../../lib/ids';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import { requireMicrohubEdit, requireMicrohubEditor } from '../authorize';
import type { MicrohubsContext } from '../context';
import {
  checkDates,
  parseArea,
  parseBuffer,
  parseCapacity,
  parseCode,
  parseName,
  type HubArea,
} from '../input';

interface Edit {
  audit: AuditEntry;
  /** The hub's zone changed (name, code, area): subgraphs rebuild their zone index. */
  zoneChanged: boolean;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

/**
 * Runs an edit, recounts the hub and records the audit entry in one transaction; publishes the
 * status changes it caused once committed, and answers with the hub as it is now.
 */
async function commit(
  ctx: MicrohubsContext,
  hubId: string,
  code: string | undefined,
  edit: (store: HubStore) => Promise<Edit>,
): Promise<HubRow> {
  const at = new Date();
  let outcome;
  try {
    outcome = await ctx.db.writer.transaction(async (trx) => {
      const result = await edit(createHubStore(trx));
      const events = await refreshHubStatuses(trx, [hubId], at, ctx.settings.reopenFreeRatio);
      await recordAudit(trx, ctx.scope, result.audit);
      return { events, zoneChanged: result.zoneChanged };
    });
  } catch (err) {
    if (code !== undefined && isUniqueViolation(err)) {
      throw badUserInput('input.code', `a hub with code "${code}" exists`);
    }
    throw err;
  }
  await publishHubEvents(ctx.pubsub, outcome.events, ctx.logger);
  if (outcome.zoneChanged) {
    await ctx.pubsub.publish(channels.zonesChanged, { reason: 'hub edited', hubId });
  }
  const hub = await ctx.loaders.hubById.load(hubId);
  if (!hub) throw notFound('hub', hubId);
  return hub;
}

/** The hub, if the caller sees it and may edit hubs in its municipality. */
async function editableHub(ctx: MicrohubsContext, id: string, action: string): Promise<HubRow> {
  requireMicrohubEditor(ctx.scope, action);
  const hubId = parseId(id, 'id', 'hub');
  const hub = await ctx.loaders.hubById.load(hubId);
  if (!hub) throw notFound('hub', hubId);
  requireMicrohubEdit(ctx.scope, hub.municipality_code, action);
  return hub;
}

/**
 * The one municipality a hub lies in: at least `minShareInMunicipality` of its area (a point hub:
 * of its circle) inside it. The caller must be allowed to edit hubs there.
 */
async function municipalityOf(
  ctx: MicrohubsContext,
  area: HubArea,
  argumentName: string,
  action: string,
): Promise<string> {
  const candidates = await ctx.reader.municipalitiesMeeting(geometryBbox(area.geometry));
  const shares = candidates
    .map((m) => ({ code: m.code, share: shareInside(area.geometry, m.geometry) }))
    .filter((m) => m.share > 0)
    .sort((a, b) => b.share - a.share || a.code.localeCompare(b.code));
  const [best] = shares;
  if (!best) {
    throw badUserInput(
      argumentName,
      `the hub's location (${area.centerLat.toFixed(6)}, ${area.centerLng.toFixed(6)}) lies in no municipality`,
    );
  }
  const minimum = ctx.settings.minShareInMunicipality;
  if (best.share < minimum) {
    const percent = (share: number) => `${Math.round(share * 100)} %`;
    const outside = 1 - shares.reduce((sum, m) => sum + m.share, 0);
    const parts = [
      ...shares.map((m) => `${percent(m.share)} in ${m.code}`),
      ...(outside >= 0.005 ? [`${percent(outside)} in no municipality`] : []),
    ];
    throw badUserInput(
      argumentName,
      `a hub lies at least ${percent(minimum)} in one municipality (MICROHUB_MIN_SHARE_IN_MUNICIPALITY_PERCENT); this one lies ${parts.join(', ')}`,
    );
  }
  requireMicrohubEdit(ctx.scope, best.code, action);
  return best.code;
}

/** Which argument holds the hub's area, for messages about it. */
function areaArgument(input: { geometry?: unknown }): string {
  return input.geometry === null || input.geometry === undefined ? 'input.point' : 'input.geometry';
}

async function locked(store: HubStore, hubId: string): Promise<void> {
  if (!(await store.lock(hubId))) throw notFound('hub', hubId);
}

export const Mutation: MutationResolvers = {
  async createHub(_parent, { input }, ctx) {
    requireMicrohubEditor(ctx.scope, 'createHub');
    const name = parseName(input.name, 'input.name');
    const area = parseArea(
      input.geometry,
      input.point,
      'input',
      true,
      ctx.settings.shapeLimits,
    ) as HubArea;
    const { capacity, combinedFormFactors } = parseCapacity(input.capacity, 'input.capacity');
    const bufferMeters =
      input.bufferMeters === null || input.bufferMeters === undefined
        ? ctx.settings.defaultBufferMeters
        : parseBuffer(input.bufferMeters, 'input.bufferMeters');
    const effectiveFrom = input.effectiveFrom ?? new Date();
    const retireAt = input.retireAt ?? null;
    checkDates(effectiveFrom, retireAt, 'input.retireAt');
    const municipalityCode = await municipalityOf(ctx, area, areaArgument(input), 'createHub');
    const id = randomUUID();
    const code =
      input.code === null || input.code === undefined
        ? `HUB-${id.slice(0, 8).toUpperCase()}`
        : parseCode(input.code, 'input.code');
    const control = input.control ?? 'AUTOMATIC';
    return commit(ctx, id, code, async (store) => {
      await store.insertHub({
        id,
        code,
        name,
        ...area,
        municipalityCode,
        ownerOrganisationId: ctx.scope.organisationId,
        bufferMeters,
        capacity,
        combinedFormFactors,
        control,
        effectiveFrom,
        retireAt,
      });
      return {
        audit: {
          action: 'hub.create',
          targetType: 'Hub',
          targetId: id,
          details: { code, name, municipalityCode, capacity, combinedFormFactors, control },
        },
        zoneChanged: true,
      };
    });
  },

  async updateHub(_parent, { id, input }, ctx) {
    const hub = await editableHub(ctx, id, 'updateHub');
    const patch: HubPatch = {};
    if (input.name !== null && input.name !== undefined) {
      patch.name = parseName(input.name, 'input.name');
    }
    if (input.code !== null && input.code !== undefined) {
      patch.code = parseCode(input.code, 'input.code');
    }
    const area = parseArea(input.geometry, input.point, 'input', false, ctx.settings.shapeLimits);
    if (area) {
      Object.assign(patch, area);
      const municipalityCode = await municipalityOf(ctx, area, areaArgument(input), 'updateHub');
      if (municipalityCode !== hub.municipality_code) patch.municipalityCode = municipalityCode;
    }
    if (input.bufferMeters !== null && input.bufferMeters !== undefined) {
      patch.bufferMeters = parseBuffer(input.bufferMeters, 'input.bufferMeters');
    }
    if (input.effectiveFrom !== null && input.effectiveFrom !== undefined) {
      patch.effectiveFrom = input.effectiveFrom;
    }
    // An explicit null clears the retire date; leaving the field out keeps it.
    if (input.retireAt !== undefined) patch.retireAt = input.retireAt;
    if (Object.keys(patch).length === 0) throw badUserInput('input', 'nothing to change');
    checkDates(
      patch.effectiveFrom ?? hub.effective_from,
      patch.retireAt !== undefined ? patch.retireAt : hub.retire_at,
      'input.retireAt',
    );
    const { geometry, ...shown } = patch;
    return commit(ctx, hub.id, patch.code, async (store) => {
      await locked(store, hub.id);
      await store.updateHub(hub.id, patch);
      return {
        audit: {
          action: 'hub.update',
          targetType: 'Hub',
          targetId: hub.id,
          details: { ...shown, geometryChanged: geometry !== undefined },
        },
        zoneChanged: patch.name !== undefined || patch.code !== undefined || geometry !== undefined,
      };
    });
  },

  async setHubCapacity(_parent, { id, capacity }, ctx) {
    const hub = await editableHub(ctx, id, 'setHubCapacity');
    const parsed = parseCapacity(capacity, 'capacity');
    return commit(ctx, hub.id, undefined, async (store) => {
      await locked(store, hub.id);
      await store.updateHub(hub.id, parsed);
      return {
        audit: {
          action: 'hub.set_capacity',
          targetType: 'Hub',
          targetId: hub.id,
          details: {
            before: { capacity: hub.capacity, combinedFormFactors: hub.combined_form_factors },
            after: parsed,
          },
        },
        zoneChanged: false,
      };
    });
  },

  async setHubControl(_parent, { id, control }, ctx) {
    const hub = await editableHub(ctx, id, 'setHubControl');
    return commit(ctx, hub.id, undefined, async (store) => {
      await locked(store, hub.id);
      await store.updateHub(hub.id, { control });
      return {
        audit: {
          action: 'hub.set_control',
          targetType: 'Hub',
          targetId: hub.id,
          details: { before: hub.control, after: control },
        },
        zoneChanged: false,
      };
    });
  },
};
