import { runMain } from '../lib/main';
import { SECOND } from '../lib/units';
import { createFeedSimulator, demoOperators } from '../simulator';

/**
 * A simulated operator back end serving GBFS 2.3, GBFS 3.0 and MDS 2.0 on SIMULATOR_PORT, with
 * a clock that follows the wall clock.
 */
runMain('simulator', async ({ config, logger, lifecycle }) => {
  const operators = demoOperators(config.SIMULATOR_OPERATORS, config.SIMULATOR_VEHICLES);
  const simulator = createFeedSimulator({ operators, seed: config.SIMULATOR_SEED });
  lifecycle.add('feed simulator', () => simulator.stop());
  const { url } = await simulator.start(config.SIMULATOR_PORT, config.SIMULATOR_HOST);
  simulator.startRealtime(SECOND);
  logger.info(
    { url, operators: operators.length, vehicles: config.SIMULATOR_VEHICLES },
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
    `\nFeed simulator at ${url} (seed ${config.SIMULATOR_SEED}). Feeds:\n${lines.join('\n')}\nStop with Ctrl-C.\n\n`,
  );
});
