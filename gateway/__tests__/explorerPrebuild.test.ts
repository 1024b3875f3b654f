import { loadConfig } from '../../lib/config';
import { testGatewayOptions } from '../../test/gateway';
import { explorerBundle, explorerBundleStarted } from '../explorer';
import { createGateway } from '../server';

/** The explorer's bundle is built as a configured gateway starts, not on its first visitor. */
it('starts bundling the explorer when the gateway starts, before any request', async () => {
  expect(explorerBundleStarted()).toBe(false);
  const gateway = createGateway(
    testGatewayOptions({
      supergraphPath: loadConfig({ NODE_ENV: 'test' }).SUPERGRAPH_PATH,
      prebuildExplorer: true,
    }),
  );
  try {
    await gateway.start(0, '127.0.0.1');
    expect(explorerBundleStarted()).toBe(true);
    const bundle = await explorerBundle();
    expect(bundle.size).toBeGreaterThan(0);
  } finally {
    await gateway.stop();
  }
  // Bundling Monaco and GraphiQL takes seconds, and minutes on a machine busy with other tests.
}, 180_000);
