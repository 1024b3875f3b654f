import { scopeAllows } from '../../../lib/auth/scope';
import { channels } from '../../../lib/domain/channels';
import { type HubEvent } from '../../../lib/domain/hubs/events';
import { badUserInput } from '../../../lib/errors';
import { parseId } from '../../../lib/ids';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types';
import type { MicrohubsContext } from '../context';
import { EVENTS_MISSED, eventsMissedError, hubEventStream, type HubStreamItem } from '../events';
import { parseMunicipalityCodes } from '../input';

const MAX_HUB_IDS = 500;

function parseHubIds(ids: readonly string[], argumentName: string): Set<string> {
  if (ids.length > MAX_HUB_IDS) {
    throw badUserInput(argumentName, `at most ${MAX_HUB_IDS} hub ids, got ${ids.length}`);
  }
  return new Set(ids.map((id, i) => parseId(id, `${argumentName}[${i}]`, 'hub')));
}

/** The caller sees the event's hub: public, or in its municipalities, or its own organisation's. */
function visibleTo(context: MicrohubsContext) {
  return (event: HubEvent): boolean =>
    scopeAllows(context.scope, {
      public: event.public,
      municipality: event.municipalityCode,
      organisation: event.ownerOrganisationId,
    });
}

/** An event as it is; a gap in the stream as an EVENTS_MISSED error in band (data null). */
function resolveItem(item: HubStreamItem): HubEvent {
  if (item === EVENTS_MISSED) throw eventsMissedError();
  return item;
}

export const Subscription: SubscriptionResolvers = {
  hubStatusChanged: {
    subscribe(_parent, { municipalities, hubIds }, context) {
      const codes = municipalities
        ? new Set(parseMunicipalityCodes(municipalities, 'municipalities'))
        : undefined;
      const ids = hubIds ? parseHubIds(hubIds, 'hubIds') : undefined;
      const visible = visibleTo(context);
      return hubEventStream(
        context.pubsub,
        channels.hubStatusChanged,
        (event) =>
          (!codes || codes.has(event.municipalityCode)) &&
          (!ids || ids.has(event.hubId)) &&
          visible(event),
        context.logger,
      );
    },
    resolve: resolveItem,
  },

  hubOccupancy: {
    subscribe(_parent, { hubIds }, context) {
      if (hubIds.length === 0) throw badUserInput('hubIds', 'name at least one hub');
      const ids = parseHubIds(hubIds, 'hubIds');
      const visible = visibleTo(context);
      return hubEventStream(
        context.pubsub,
        channels.hubOccupancy,
        (event) => ids.has(event.hubId) && visible(event),
        context.logger,
      );
    },
    resolve: resolveItem,
  },
};
