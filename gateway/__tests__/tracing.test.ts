import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTracing, type Tracing } from '../../lib/observability/tracing';
import { testGatewayOptions } from '../../test/gateway';
import { createGateway } from '../server';
import {
  compose,
  eventually,
  EXTRAS_SDL_V1,
  graphql,
  silentLogger,
  startExtras,
  startThings,
  THINGS_SDL,
  useTestResources,
} from './helpers';

/** A span as OTLP/HTTP JSON carries it (ids in hex). */
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  service: string;
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: Omit<ExportedSpan, 'service'>[] }[];
  }[];
}

const SPAN_KIND_SERVER = 2;

/** A collector in miniature: takes OTLP/HTTP JSON exports on /v1/traces and keeps the spans. */
function startCollector(): Promise<{ url: string; spans: ExportedSpan[]; server: Server }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const resource of body.resourceSpans) {
        const service =
          resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ??
          '';
        for (const scope of resource.scopeSpans) {
          for (const span of scope.spans) spans.push({ ...span, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, spans, server });
    });
  });
}

const { toStop, dir } = useTestResources();
let collector: Awaited<ReturnType<typeof startCollector>>;
let tracing: Tracing | undefined;

beforeAll(async () => {
  collector = await startCollector();
  tracing = await startTracing({
    endpoint: collector.url,
    serviceName: 'mobility-test',
    logger: silentLogger,
    exportDelayMs: 100,
  });
});

afterAll(async () => {
  await tracing?.shutdown();
  await new Promise((resolve) => collector.server.close(resolve));
});

it('exports nothing and registers nothing without an endpoint', async () => {
  expect(
    await startTracing({ endpoint: undefined, serviceName: 'x', logger: silentLogger }),
  ).toBeUndefined();
});

it('exports a gateway span, a span per subgraph fetch and the subgraphs’ spans in one trace', async () => {
  const things = await startThings();
  toStop.push(things.server);
  const extras = await startExtras();
  toStop.push(extras.server);
  const supergraphPath = join(dir(), 'supergraph.graphql');
  await writeFile(
    supergraphPath,
    compose([
      { name: 'things', sdl: THINGS_SDL, url: things.url },
      { name: 'extras', sdl: EXTRAS_SDL_V1, url: extras.url },
    ]),
  );
  const gateway = createGateway(testGatewayOptions({ supergraphPath }));
  toStop.push(gateway);
  const { url } = await gateway.start(0, '127.0.0.1');

  const response = await graphql(url, 'query Spanning { hello thing(id: "42") { id name color } }');
  expect(response.body.errors).toBeUndefined();
  // Spans end when each response is finished, which may be just after the client has read it.
  const { root, trace } = await eventually(async () => {
    await tracing?.flush();
    const found = collector.spans.find(
      (s) => s.name === 'POST /graphql' && s.kind === SPAN_KIND_SERVER,
    );
    if (!found) throw new Error('no gateway span exported yet');
    const spans = collector.spans.filter((s) => s.traceId === found.traceId);
    if (spans.filter((s) => s.kind === SPAN_KIND_SERVER).length < 3) {
      throw new Error('the subgraphs’ spans are not exported yet');
    }
    return { root: found, trace: spans };
  }, 20_000);
  expect(root.service).toBe('mobility-test');
  expect(root.parentSpanId ?? '').toBe('');

  // Apollo's own: one request, a plan (first time this operation is seen), a fetch per subgraph call.
  const fetches = trace.filter((s) => s.name === 'gateway.fetch');
  const services = fetches.map(
    (s) => s.attributes.find((a) => a.key === 'service')?.value.stringValue,
  );
  expect(services.sort()).toEqual(['extras', 'things']);
  expect(trace.map((s) => s.name)).toEqual(
    expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.execute']),
  );

  // Each subgraph's server span continues the trace under the fetch that called it (traceparent).
  const subgraphSpans = trace.filter(
    (s) => s.kind === SPAN_KIND_SERVER && s.name !== 'POST /graphql',
  );
  expect(subgraphSpans.map((s) => s.name).sort()).toEqual([
    'POST extras/graphql',
    'POST things/graphql',
  ]);
  const fetchIds = new Set(fetches.map((s) => s.spanId));
  for (const span of subgraphSpans) expect(fetchIds.has(span.parentSpanId ?? '')).toBe(true);
});
