import { assertMigrated, openDatabase, openPubSub } from '../lib/bootstrap';
import { PROCESS_NEEDS, requireScopeSecret } from '../lib/config';
import { runMain } from '../lib/main';
import { SUBGRAPHS, isSubgraphName } from '../schema/subgraphs';
import { assertNoDemoIdentities } from '../seeds/identities';
import { subgraphFactories } from '../subgraphs';

runMain(
  'subgraph',
  async ({ config, logger, lifecycle }) => {
    const name = process.argv[2] ?? '';
    if (!isSubgraphName(name)) {
      throw new Error(
        `unknown subgraph "${name}": use npm run start:subgraph -- <${SUBGRAPHS.map((s) => s.name).join('|')}>`,
      );
    }
    requireScopeSecret(config);
    const port = config.SUBGRAPH_PORT ?? SUBGRAPHS.find((s) => s.name === name)?.port ?? 0;
    const { db } = await openDatabase(config, logger, lifecycle, `mobility:${name}`);
    await assertMigrated(db);
    // The users subgraph resolves every caller's identity.
    if (name === 'users' && config.NODE_ENV === 'production') await assertNoDemoIdentities(db);
    const pubsub = openPubSub(config, logger, lifecycle);
    const server = subgraphFactories[name]({
      config,
      logger,
      db,
      pubsub,
      scopeSecret: requireScopeSecret(config),
    });
    lifecycle.add(`subgraph ${name}`, () => server.stop());
    await server.start(port, config.HOST);
  },
  PROCESS_NEEDS.subgraph,
);
