import { parseArgs } from 'node:util';
import { openDatabase, openPubSub } from '../lib/bootstrap';
import { PROCESS_NEEDS } from '../lib/config';
import { runMain } from '../lib/main';
import { migrateLatest } from '../lib/migrate';
import { seed } from '../seeds';

/**
 * `npm run seed` migrates and loads reference data (municipalities); `-- --demo` adds the demo
 * organisations and users (refused in production); `-- --admin you@example.org` makes sure that
 * address is an administrator. Works on DATABASE_URL, on the embedded server a running
 * `npm start` holds in DATA_DIR, or starts the embedded server itself.
 */
runMain(
  'seed',
  async ({ config, logger, lifecycle }) => {
    const { values } = parseArgs({
      options: { demo: { type: 'boolean', default: false }, admin: { type: 'string' } },
    });
    if (values.demo && config.NODE_ENV === 'production') {
      throw new Error('--demo: demo identities are never created in production');
    }
    if (values.admin !== undefined && !/^[^\s@]+@[^\s@]+$/.test(values.admin)) {
      throw new Error(`--admin "${values.admin}" is not an email address`);
    }
    const { db } = await openDatabase(config, logger, lifecycle, 'mobility:seed', {
      joinRunning: true,
    });
    await migrateLatest(db, logger);
    const pubsub = openPubSub(config, logger, lifecycle);
    await seed(db, pubsub, logger, { demo: values.demo ?? false, adminEmail: values.admin });
    await lifecycle.close();
  },
  PROCESS_NEEDS.seed,
);
