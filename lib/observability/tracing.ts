import {
  context,
  diag,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type DiagLogger,
} from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

export interface Tracing {
  /** Sends the spans still buffered. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting and unregisters the tracer. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** The collector's OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); traces go to `/v1/traces`. */
  endpoint: string | undefined;
  serviceName: string;
  logger: Logger;
  /** How long spans are buffered before a batch is sent. */
  exportDelayMs?: number;
}

let enabled = false;

/** Whether this process exports traces (the request middlewares are not even installed when not). */
export function tracingEnabled(): boolean {
  return enabled;
}

function diagLogger(logger: Logger): DiagLogger {
  return {
    error: (message, ...args) => logger.warn({ args }, `tracing: ${message}`),
    warn: (message, ...args) => logger.warn({ args }, `tracing: ${message}`),
    info: (message) => logger.debug(`tracing: ${message}`),
    debug: (message) => logger.trace(`tracing: ${message}`),
    verbose: (message) => logger.trace(`tracing: ${message}`),
  };
}

/**
 * OpenTelemetry traces to an OTLP/HTTP collector (JSON), only when an endpoint is configured:
 * otherwise nothing is registered and every tracer in the process (Apollo's own included) stays a
 * no-op. Registers the W3C trace-context propagator and the AsyncLocalStorage context manager, so
 * Apollo gateway's spans (`gateway.request`, `gateway.plan`, `gateway.fetch` per subgraph fetch)
 * nest under our request spans and reach the subgraphs as a `traceparent` header. The SDK is
 * loaded only then: a process without tracing does not pay for loading it.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing | undefined> {
  if (!options.endpoint) return undefined;
  const [
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor, NodeTracerProvider },
  ] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  diag.setLogger(diagLogger(options.logger.child({ component: 'tracing' })));
  const exporter = new OTLPTraceExporter({
    url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`,
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.exportDelayMs ?? 2000 }),
    ],
  });
  provider.register();
  enabled = true;
  options.logger.info(
    { service: options.serviceName, endpoint: options.endpoint },
    'exporting traces',
  );
  let stopped: Promise<void> | undefined;
  return {
    flush: () => provider.forceFlush(),
    shutdown() {
      stopped ??= (async () => {
        enabled = false;
        await provider.shutdown();
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
      })();
      return stopped;
    },
  };
}

const tracer = trace.getTracer('mobility');

/**
 * A server span per HTTP request, continuing the caller's trace (`traceparent`), ended when the
 * response is finished. Install it after body parsing, like the log context (body-parser's stream
 * events would lose the active context).
 */
export function traceRequests(name: string): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      `${req.method} ${name}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.baseUrl || req.path },
      },
      parent,
    );
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Adds the active trace context (`traceparent`) to an outgoing request's headers. */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}
