import { z } from 'zod';
import { runMain } from '../lib/main';
import { SECOND } from '../lib/units';
import { createFeedSimulator, demoOperators } from '../simulator';

const settings = z.object({
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SIMULATOR_HOST: z.string().min(1).optional(),
  SIMULATOR_VEHICLES: z.coerce.number().int().positive().default(300),
  SIMULATOR_SEED: z.coerce.number().int().default(42),
  SIMULATOR_OPERATORS: z.coerce.number().int().positive().max(100).default(3),
});

/** The simulator's own variables; a bad one stops it with a line naming the variable. */
function readSettings(): z.infer<typeof settings> {
  const present = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key, value]) => key.startsWith('SIMULATOR_') && value !== '',
    ),
  );
  const parsed = settings.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `${key}=${JSON.stringify(present[key] ?? '')}: ${issue.message}`;
    });
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * A simulated operator back end serving GBFS 2.3, GBFS 3.0 and MDS 2.0 on SIMULATOR_PORT, with
 * a clock that follows the wall clock.
 */
runMain('simulator', async ({ logger, lifecycle }) => {
  const env = readSettings();
  const operators = demoOperators(env.SIMULATOR_OPERATORS, env.SIMULATOR_VEHICLES);
  const simulator = createFeedSimulator({ operators, seed: env.SIMULATOR_SEED });
  lifecycle.add('feed simulator', () => simulator.stop());
  const { url } = await simulator.start(env.SIMULATOR_PORT, env.SIMULATOR_HOST);
  simulator.startRealtime(SECOND);
  logger.info(
    { url, operators: operators.length, vehicles: env.SIMULATOR_VEHICLES },
    'feed simulator started',
  );
  const lines = operators.map((o) => {
    const feeds = simulator.feedUrls(o.id);
    return [
      `  ${o.name} (${o.vehicles} ${o.formFactor.toLowerCase()}${o.rotatingIds ? ', rotating ids' : ''})`,
      `    GBFS 2.3  ${feeds.gbfs23}`,
      `    GBFS 3.0  ${feeds.gbfs30}`,
      `    MDS 2.0   ${feeds.mds}  (/vehicles, /vehicles/status, /trips?end_time=YYYY-MM-DDTHH)`,
    ].join('\n');
  });
  process.stdout.write(
    `\nFeed simulator at ${url} (seed ${env.SIMULATOR_SEED}). Feeds:\n${lines.join('\n')}\nStop with Ctrl-C.\n\n`,
  );
});
