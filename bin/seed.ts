import { parseArgs } from 'node:util';
import { openDatabase, openPubSub } from '../lib/bootstrap';
import { runMain } from '../lib/main';
import { seed } from '../seeds';

/**
 * `npm run seed` loads reference data (municipalities); `-- --demo` adds the demo organisations
 * and users; `-- --admin you@example.org` makes sure that address is an administrator.
 */
runMain('seed', async ({ config, logger, lifecycle }) => {
  const { values } = parseArgs({
    options: { demo: { type: 'boolean', default: false }, admin: { type: 'string' } },
  });
  const { db } = await openDatabase(config, logger, lifecycle, 'mobility:seed');
  const pubsub = openPubSub(config, logger, lifecycle);
  await seed(db, pubsub, logger, { demo: values.demo ?? false, adminEmail: values.admin });
  await lifecycle.close();
});
