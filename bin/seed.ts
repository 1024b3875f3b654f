import { openDatabase, openPubSub } from '../lib/bootstrap';
import { runMain } from '../lib/main';
import { seed } from '../seeds';

runMain('seed', async ({ config, logger, lifecycle }) => {
  const { db } = await openDatabase(config, logger, lifecycle, 'mobility:seed');
  const pubsub = openPubSub(config, logger, lifecycle);
  await seed(db, pubsub, logger);
  await lifecycle.close();
});
