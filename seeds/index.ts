import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { channels, type PubSub } from '../lib/pubsub';
import { createZoneRepository } from '../subgraphs/zones/repository';
import { readMunicipalities } from './municipalities';

/** Loads the demo and reference data. Idempotent: a second run changes nothing. */
export async function seed(db: Db, pubsub: PubSub, logger: Logger): Promise<void> {
  const municipalities = readMunicipalities();
  const { inserted, updated } = await createZoneRepository(db).upsert(municipalities);
  logger.info({ municipalities: municipalities.length, inserted, updated }, 'seeded zones');
  if (inserted + updated > 0) await pubsub.publish(channels.zonesChanged, { reason: 'seed' });
}
