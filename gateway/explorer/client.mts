// The schema explorer's browser code, bundled by bundle.ts with esbuild: GraphiQL (docs,
// history), the explorer plugin, and a fetcher that sends queries over HTTP and subscriptions
// over graphql-ws, both to the gateway that served the page. Nothing is loaded from elsewhere.
import { explorerPlugin } from '@graphiql/plugin-explorer';
import '@graphiql/plugin-explorer/style.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import 'graphiql/style.css';
import { getOperationAST, OperationTypeNode, parse, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

/** The few browser globals used here (the project compiles without the DOM library). */
interface Browser {
  document: { getElementById(id: string): { textContent: string | null } | null };
  location: { href: string; search: string };
  Worker: new (url: string) => object;
  MonacoEnvironment?: { getWorker(workerId: string, label: string): object };
}

interface ExplorerConfig {
  endpoint: string;
  assetsPath: string;
  defaultQuery: string;
  defaultHeaders: string;
}

type Fetcher = GraphiQLProps['fetcher'];
type FetcherParams = Parameters<Fetcher>[0];

const browser = globalThis as unknown as Browser;
const configElement = browser.document.getElementById('explorer-config');
const config = JSON.parse(configElement?.textContent ?? '{}') as ExplorerConfig;

// Monaco runs its language services in web workers; bundle.ts builds them next to this file.
browser.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === 'json' || label === 'graphql' ? label : 'editor';
    return new browser.Worker(`${config.assetsPath}/${name}.worker.js`);
  },
};

const httpUrl = new URL(config.endpoint, browser.location.href);
const wsUrl = new URL(httpUrl);
wsUrl.protocol = httpUrl.protocol === 'https:' ? 'wss:' : 'ws:';

/** One WebSocket per set of headers: the headers editor's credentials go in connection_init. */
let socket: { key: string; client: Client } | undefined;
function wsClientFor(headers: Record<string, unknown>): Client {
  const key = JSON.stringify(headers);
  if (socket?.key === key) return socket.client;
  void socket?.client.dispose();
  socket = { key, client: createClient({ url: wsUrl.href, connectionParams: headers }) };
  return socket.client;
}

function isSubscription(params: FetcherParams): boolean {
  try {
    const operation = getOperationAST(parse(params.query), params.operationName);
    return operation?.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return false;
  }
}

const fetcher: Fetcher = (params, options) => {
  const headers: Record<string, unknown> = options?.headers ?? {};
  if (isSubscription(params)) {
    const events = wsClientFor(headers).iterate({
      query: params.query,
      operationName: params.operationName ?? null,
      variables: (params.variables ?? null) as Record<string, unknown> | null,
    });
    // GraphiQL shows results as JSON: errors as sent (formatted) are what it renders.
    return events as AsyncIterable<ExecutionResult>;
  }
  return fetch(httpUrl.href, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(params),
  }).then((response) => response.json() as Promise<Record<string, unknown>>);
};

// `?query=...` opens the page with that operation (links from docs, tests).
const linkedQuery = new URLSearchParams(browser.location.search).get('query');

const root = browser.document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    createElement(GraphiQL, {
      fetcher,
      plugins: [explorerPlugin()],
      defaultQuery: config.defaultQuery,
      ...(linkedQuery ? { initialQuery: linkedQuery } : {}),
      defaultHeaders: config.defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
    }),
  );
}
