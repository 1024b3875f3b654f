import type { ApolloServerPlugin } from '@apollo/server';
import { EXAMPLE_QUERY, renderExplorerPage, renderIntrospectionDisabledPage } from './explorer';

export { EXAMPLE_QUERY };

/**
 * Apollo's default landing page loads its code from a CDN, which this project may not use; ours
 * is the schema explorer (GraphiQL), bundled from the project's own dependencies and served by
 * the gateway. The plugin answers GET /graphql from browsers; `/` is routed to the same page.
 * `html` is rendered per request because the port is only known once the server listens.
 */
export function createLandingPagePlugin(html: () => string): ApolloServerPlugin {
  return {
    serverWillStart: () =>
      Promise.resolve({
        renderLandingPage: () => Promise.resolve({ html: () => Promise.resolve(html()) }),
      }),
  };
}

/** The explorer, or, with introspection off (it could not work), a page that says so. */
export function renderLandingPage(
  endpointUrl: string,
  options: { introspection: boolean } = { introspection: true },
): string {
  if (!options.introspection) return renderIntrospectionDisabledPage(endpointUrl);
  const endpointPath = new URL(endpointUrl, 'http://localhost').pathname;
  return renderExplorerPage({ endpointUrl, endpointPath });
}
