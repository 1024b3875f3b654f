import { EXPLORER_ASSETS_PATH } from './paths';

export const EXAMPLE_QUERY = '{ zoneAt(lat: 52.3731, lng: 4.8932) { code name } }';

const DEFAULT_QUERY = `# The schema explorer of the shared-mobility gateway.
#
# Docs (book icon) list every type and field; the explorer (folder icon) builds a query by
# ticking fields. Queries and mutations go over HTTP; subscriptions stream over graphql-ws
# from this same URL. To call with credentials, put them in Headers below, e.g.
# {"authorization": "Bearer <token>"} or {"x-api-key": "<key>"}.
#
# Which municipality is Dam square in?
{
  zoneAt(lat: 52.3731, lng: 4.8932) {
    code
    name
  }
}
`;

export interface ExplorerPageOptions {
  /** Absolute URL of the GraphQL endpoint, shown in the no-JavaScript fallback. */
  endpointUrl: string;
  /** The endpoint the page talks to; relative, so the page works behind any host name. */
  endpointPath: string;
}

/**
 * The schema explorer: a GraphiQL page whose code and styles all come from this gateway (see
 * bundle.ts). Without JavaScript it still says how to call the endpoint.
 */
export function renderExplorerPage({ endpointUrl, endpointPath }: ExplorerPageOptions): string {
  const config = {
    endpoint: endpointPath,
    assetsPath: EXPLORER_ASSETS_PATH,
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: '{}',
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shared-mobility supergraph: schema explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_ASSETS_PATH}/explorer.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
<script id="explorer-config" type="application/json">${scriptJson(config)}</script>
<script type="module" src="${EXPLORER_ASSETS_PATH}/explorer.js"></script>
</head>
<body>
<div id="graphiql"></div>
<noscript>
<main style="font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;">
<h1>Shared-mobility supergraph</h1>
<p>The schema explorer needs JavaScript.</p>
${usage(endpointUrl)}
</main>
</noscript>
</body>
</html>
`;
}

/**
 * With introspection off the explorer cannot list the schema, so its bundle is not loaded; the
 * page says so and how to call the endpoint.
 */
export function renderIntrospectionDisabledPage(endpointUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shared-mobility supergraph</title>
<link rel="icon" href="data:,">
</head>
<body>
<main style="font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;">
<h1>Shared-mobility supergraph</h1>
<p>Introspection is disabled on this gateway, so the schema explorer is not available here.</p>
${usage(endpointUrl)}
</main>
</body>
</html>
`;
}

function usage(endpointUrl: string): string {
  const curl = [
    `curl -s ${endpointUrl} \\`,
    `  -H 'content-type: application/json' \\`,
    `  --data '${JSON.stringify({ query: EXAMPLE_QUERY })}'`,
  ].join('\n');
  return `<p>The GraphQL endpoint is
<code>${escapeHtml(endpointUrl)}</code>: queries over HTTP (<code>POST</code> with a JSON body),
subscriptions over WebSocket (<code>graphql-transport-ws</code>) at the same URL.</p>
<pre><code>${escapeHtml(curl)}</code></pre>
<p><a href="/health">/health</a>: the gateway process is up.
<a href="/ready">/ready</a>: a supergraph is loaded and every subgraph answers.</p>`;
}

/** JSON inside a <script> element: `<` is escaped so no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
