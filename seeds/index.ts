import type { Db } from '../lib/db';
import { channels } from '../lib/domain/channels';
import { createZoneStore } from '../lib/domain/zoneStore';
import type { Logger } from '../lib/logger';
import { type PubSub } from '../lib/pubsub';
import { seedDemoDistricts } from './demoDistricts';
import { DEMO_ORGANISATIONS, adminOrganisation, seedIdentities } from './identities';
import { readMunicipalities } from './municipalities';

export interface SeedOptions {
  /** Demo organisations and users (admin@example.org, amsterdam@example.org, ...). */
  demo: boolean;
  /** Make sure this email is an administrator. */
  adminEmail?: string | undefined;
}

/** Loads reference data, and demo data when asked. Idempotent: a second run changes nothing. */
export async function seed(
  db: Db,
  pubsub: PubSub,
  logger: Logger,
  options: SeedOptions,
): Promise<void> {
  const municipalities = readMunicipalities();
  const { inserted, updated } = await createZoneStore(db).upsert(municipalities);
  logger.info({ municipalities: municipalities.length, inserted, updated }, 'seeded zones');
  if (inserted + updated > 0) await pubsub.publish(channels.zonesChanged, { reason: 'seed' });

  if (options.demo) await seedDemo(db, pubsub, logger);
  if (options.adminEmail) {
    const created = await seedIdentities(db, [adminOrganisation(options.adminEmail)]);
    logger.info({ created: created > 0 }, 'administrator seeded');
  }
}

/** The demo organisations and users (admin@example.org, ...): never in production. */
export async function seedDemo(db: Db, pubsub: PubSub, logger: Logger): Promise<void> {
  const districts = await seedDemoDistricts(db, pubsub);
  logger.info(districts, 'seeded demo districts (a grid over Amsterdam)');
  const users = await seedIdentities(db, DEMO_ORGANISATIONS);
  logger.info({ users }, 'seeded demo organisations and users');
}
