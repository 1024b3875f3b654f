import { openDatabase } from '../lib/bootstrap';
import { PROCESS_NEEDS } from '../lib/config';
import { runMain } from '../lib/main';
import { migrateLatest } from '../lib/migrate';

runMain(
  'migrate',
  async ({ config, logger, lifecycle }) => {
    const { db } = await openDatabase(config, logger, lifecycle, 'mobility:migrate', {
      joinRunning: true,
    });
    await migrateLatest(db, logger);
    await lifecycle.close();
  },
  PROCESS_NEEDS.migrate,
);
