/**
 * The test gateway of bench:truth, in its own process: a plain node:http
 * reverse proxy in front of one MCP server (argv[2]) that holds every request
 * for a known delay before passing it on, spinning on the high-resolution
 * timer (a timer would fire late, by a varying amount). It measures, on the
 * harness's µs clock, what each tools/call spent inside this process:
 * `residenceUs`, from the request's last byte in to the response's last byte
 * out (its downstream hop included, as any gateway's), and `holdUs`, the hold
 * itself. Prints its URL.
 *
 * - `POST /__delay?us=N`: the hold from now on (µs);
 * - `GET /__timings`: the tools/call timings so far (then forgets them).
 */
import { Agent, createServer, request } from 'node:http';
import { nowUs } from '../../harness/measure/clock.js';

interface Timing {
  traceparent: string | undefined;
  id: unknown;
  holdUs: number;
  residenceUs: number;
}

const upstream = new URL(process.argv[2] ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
let delayUs = 0;
let timings: Timing[] = [];

function hold(us: number): number {
  const t0 = performance.now();
  const due = t0 + us / 1000;
  while (performance.now() < due) {}
  return Math.round((performance.now() - t0) * 1000);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const tIn = nowUs();
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/__delay') {
      delayUs = Number(url.searchParams.get('us') ?? 0);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/__timings') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(timings));
      timings = [];
      return;
    }
    const body = Buffer.concat(chunks);
    const message = parse(body);
    const holdUs = delayUs > 0 ? hold(delayUs) : 0;
    const headers = { ...req.headers, host: upstream.host };
    const up = request(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        path: upstream.pathname,
        method: req.method,
        headers,
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e.message));
    });
    if (message?.method === 'tools/call') {
      res.on('finish', () => {
        timings.push({
          traceparent: message.params?._meta?.traceparent,
          id: message.id,
          holdUs,
          residenceUs: nowUs() - tIn,
        });
      });
    }
    up.end(body);
  });
});

function parse(
  body: Buffer,
): { method?: string; id?: unknown; params?: { _meta?: { traceparent?: string } } } | undefined {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/mcp\n`);
});
process.on('SIGTERM', () => {
  agent.destroy();
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
