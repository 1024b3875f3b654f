import type { ApolloServerPlugin } from '@apollo/server';

export const EXAMPLE_QUERY = '{ zoneAt(lat: 52.3731, lng: 4.8932) { code name } }';

/**
 * Apollo's default landing page loads its code from a CDN, which this project may not use; this
 * page is self-contained (no external scripts, styles, fonts or images).
 * `endpointUrl` is read per request because the port is only known once the server listens.
 */
export function createLandingPagePlugin(endpointUrl: () => string): ApolloServerPlugin {
  return {
    serverWillStart: () =>
      Promise.resolve({
        renderLandingPage: () =>
          Promise.resolve({ html: () => Promise.resolve(renderLandingPage(endpointUrl())) }),
      }),
  };
}

export function renderLandingPage(endpointUrl: string): string {
  const curl = [
    `curl -s ${endpointUrl} \\`,
    `  -H 'content-type: application/json' \\`,
    `  --data '${JSON.stringify({ query: EXAMPLE_QUERY })}'`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shared-mobility supergraph</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
pre { background: #f4f4f4; padding: 0.75rem; overflow-x: auto; }
code { font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<h1>Shared-mobility supergraph</h1>
<p>The GraphQL gateway of the shared-mobility dashboard: one endpoint for vehicles, zones, trips,
microhubs, origin-destination flows and users, federated from the subgraphs behind it.</p>
<h2>Endpoint</h2>
<p><code>${escapeHtml(endpointUrl)}</code> accepts GraphQL over HTTP (<code>POST</code> with a JSON body).</p>
<h2>Example query</h2>
<pre><code>${escapeHtml(EXAMPLE_QUERY)}</code></pre>
<h2>With curl</h2>
<pre><code>${escapeHtml(curl)}</code></pre>
<h2>Status</h2>
<ul>
<li><a href="/health">/health</a>: the gateway process is up</li>
<li><a href="/ready">/ready</a>: a supergraph is loaded and every subgraph answers</li>
</ul>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
