import { createServer, type Server } from 'node:http';

/** A span as the OTLP/HTTP JSON encoding carries it, with its attributes read into plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  links: Array<{ traceId: string; spanId: string }>;
  status: { code?: number; message?: string };
  /** The resource's attributes (`service.name`). */
  resource: Record<string, unknown>;
}

/** A metric as exported: its name and its data points' attributes and values. */
export interface ReceivedMetric {
  name: string;
  unit: string;
  points: Array<{ attributes: Record<string, unknown>; value: number; count?: number }>;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT`: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  /** Content types of the requests received (the exporter speaks OTLP/HTTP JSON). */
  contentTypes: string[];
  close(): Promise<void>;
}

/**
 * A loopback OTLP/HTTP receiver (the collector's side of the wire, JSON encoding): POST /v1/traces
 * and /v1/metrics are decoded and kept, anything else is 404.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const metrics: ReceivedMetric[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url?.split('?')[0];
      if (request.method !== 'POST' || (path !== '/v1/traces' && path !== '/v1/metrics')) {
        response.writeHead(404).end();
        return;
      }
      contentTypes.push(String(request.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (path === '/v1/traces') spans.push(...decodeSpans(body));
      else metrics.push(...decodeMetrics(body));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    metrics,
    contentTypes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type KeyValue = { key: string; value: AnyValue };
type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: AnyValue[] } };

function valueOf(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

export function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

function decodeSpans(body: any): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans: any) =>
    (resourceSpans.scopeSpans ?? []).flatMap((scope: any) =>
      (scope.spans ?? []).map((span: any) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind,
        attributes: attributesOf(span.attributes),
        events: (span.events ?? []).map((event: any) => ({ name: event.name, attributes: attributesOf(event.attributes) })),
        links: (span.links ?? []).map((link: any) => ({ traceId: link.traceId, spanId: link.spanId })),
        status: span.status ?? {},
        resource: attributesOf(resourceSpans.resource?.attributes),
      })),
    ),
  );
}

function decodeMetrics(body: any): ReceivedMetric[] {
  return (body.resourceMetrics ?? []).flatMap((resourceMetrics: any) =>
    (resourceMetrics.scopeMetrics ?? []).flatMap((scope: any) =>
      (scope.metrics ?? []).map((metric: any) => {
        const data = metric.sum ?? metric.histogram ?? metric.gauge ?? {};
        return {
          name: metric.name,
          unit: metric.unit ?? '',
          points: (data.dataPoints ?? []).map((point: any) => ({
            attributes: attributesOf(point.attributes),
            value: Number(point.asDouble ?? point.asInt ?? point.sum ?? 0),
            ...(point.count === undefined ? {} : { count: Number(point.count) }),
          })),
        };
      }),
    ),
  );
}
