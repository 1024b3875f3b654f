import type { Db } from '../lib/db';
import type { FeedType } from '../lib/domain/fleet';
import type { FeedUrls, OperatorOptions } from '../simulator';

/** The demo shows every kind of feed: operators take turns at GBFS 2.3, GBFS 3.0 and MDS 2.0. */
const ROTATION: { type: FeedType; url: (urls: FeedUrls) => string }[] = [
  { type: 'GBFS_DISCOVERY', url: (u) => u.gbfs23 },
  { type: 'GBFS3_VEHICLE_STATUS', url: (u) => u.gbfs30 },
  { type: 'MDS_VEHICLES', url: (u) => u.mds },
];

/** A demo feed as registered: the importer's vehicle ids are GBFS ids, or MDS device ids. */
export interface DemoFeed {
  feedId: string;
  operatorId: string;
  type: FeedType;
  rotatingIds: boolean;
}

/**
 * Registers the simulator's operators and one active feed each. The simulator listens on a new
 * port every start, so the demo feed this seeding registered before (`demo = true`) is pointed at
 * the new URL instead of adding another; feeds an admin added for the same operators stay as
 * they are, and a demo feed an admin deleted (deleteFeed) is not registered again.
 */
export async function registerDemoFeeds(
  db: Db,
  operators: OperatorOptions[],
  urls: (operatorId: string) => FeedUrls,
): Promise<DemoFeed[]> {
  return db.transaction(async (trx) => {
    const feeds: DemoFeed[] = [];
    for (const [i, operator] of operators.entries()) {
      const { type, url } = ROTATION[i % ROTATION.length]!;
      await trx('operators')
        .insert({ id: operator.id, name: operator.name })
        .onConflict('id')
        .merge({ name: operator.name, updated_at: trx.fn.now() });
      const feed = {
        operator_id: operator.id,
        type,
        url: url(urls(operator.id)),
        default_form_factor: operator.formFactor,
        rotating_ids: operator.rotatingIds ?? false,
        active: true,
        demo: true,
      };
      const updated = await trx('feeds')
        .where({ operator_id: operator.id, demo: true })
        .whereNull('deleted_at')
        .update({ ...feed, updated_at: trx.fn.now() })
        .returning<{ id: string }[]>('id');
      // A demo feed an administrator deleted stays deleted: it is not registered again.
      const deleted = await trx('feeds')
        .where({ operator_id: operator.id, demo: true })
        .whereNotNull('deleted_at')
        .first<{ id: string } | undefined>('id');
      if (updated.length === 0 && deleted) continue;
      const [row] =
        updated.length > 0
          ? updated
          : await trx('feeds').insert(feed).returning<{ id: string }[]>('id');
      if (!row) throw new Error(`the demo feed of ${operator.id} was not written`);
      feeds.push({ feedId: row.id, operatorId: operator.id, type, rotatingIds: feed.rotating_ids });
    }
    return feeds;
  });
}
