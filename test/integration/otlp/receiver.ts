import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as the receiver decoded it from OTLP/JSON (ids as lower-case hex). */
export interface ReceivedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
  status: number;
}

export interface ReceivedMetric {
  service: string;
  name: string;
  unit: string;
  points: Array<{ count: number; attributes: Record<string, unknown> }>;
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  /** Content types of every request, to show the official exporter's encoding. */
  contentTypes: string[];
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};
type KeyValue = { key: string; value: AnyValue };

const attrs = (list: KeyValue[] = []): Record<string, unknown> =>
  Object.fromEntries(
    list.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue,
    ]),
  );

/** OTLP/JSON ids are hex; a base64 id (protobuf-style JSON) is converted so tests compare one form. */
const hex = (id: string | undefined): string =>
  !id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');

/** A real OTLP/HTTP receiver on 127.0.0.1: accepts /v1/traces and /v1/metrics (JSON) and decodes them. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const metrics: ReceivedMetric[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(String(req.headers['content-type']));
      if (!String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (req.url === '/v1/traces') {
        for (const rs of body.resourceSpans ?? []) {
          const service = String(attrs(rs.resource?.attributes)['service.name']);
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                service,
                name: s.name,
                kind: s.kind,
                traceId: hex(s.traceId),
                spanId: hex(s.spanId),
                parentSpanId: hex(s.parentSpanId),
                attributes: attrs(s.attributes),
                status: s.status?.code ?? 0,
              });
        }
      } else if (req.url === '/v1/metrics') {
        for (const rm of body.resourceMetrics ?? []) {
          const service = String(attrs(rm.resource?.attributes)['service.name']);
          for (const sm of rm.scopeMetrics ?? [])
            for (const m of sm.metrics ?? [])
              metrics.push({
                service,
                name: m.name,
                unit: m.unit,
                points: (m.histogram?.dataPoints ?? []).map(
                  (p: { count: string | number; attributes: KeyValue[] }) => ({
                    count: Number(p.count),
                    attributes: attrs(p.attributes),
                  }),
                ),
              });
        }
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    metrics,
    contentTypes,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
