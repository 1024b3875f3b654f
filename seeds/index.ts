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

  if (options.demo) {
    const districts = await seedDemoDistricts(db, pubsub);
    logger.info(districts, 'seeded demo districts (a grid over Amsterdam)');
  }

  const organisations = [
    ...(options.demo ? DEMO_ORGANISATIONS : []),
    ...(options.adminEmail ? [adminOrganisation(options.adminEmail)] : []),
  ];
  if (organisations.length > 0) {
    const users = await seedIdentities(db, organisations);
    logger.info({ users }, 'seeded organisations and users');
  }
}
