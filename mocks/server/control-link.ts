import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CallRecord } from '../../harness/schema/call-log.js';
import { jsonCall } from './json-http.js';
import type { Mock } from './mock.js';

/**
 * The stdio child's side of the control plane: a loopback listener the harness
 * calls to change faults, read the call log, add/remove tools or kill the
 * process; plus a push of every changed call record so nothing is lost if the
 * process dies.
 */
export async function startControlLink(mock: Mock, controlUrl: string) {
  const server = createServer((req, res) => {
    void route(mock, req, res).catch((e: Error) => send(res, 500, { error: e.message }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  const registered = await jsonCall<{ faults: unknown[] }>(`${controlUrl}/instances`, 'POST', {
    mock: mock.name,
    id: mock.instance,
    pid: process.pid,
    url,
  });
  mock.faults.replace(registered.faults);

  const pending = new Map<string, CallRecord>();
  let inflight: Promise<void> = Promise.resolve();
  let scheduled = false;
  const push = () => {
    scheduled = false;
    const batch = [...pending.values()].map((r) => ({ ...r }));
    pending.clear();
    if (batch.length === 0) return inflight;
    inflight = inflight.then(() =>
      jsonCall(`${controlUrl}/mocks/${encodeURIComponent(mock.name)}/records`, 'POST', batch, 2_000).then(
        () => undefined,
        () => undefined,
      ),
    );
    return inflight;
  };
  mock.log.onChange((r) => {
    pending.set(`${r.seq}`, r);
    if (!scheduled) {
      scheduled = true;
      setImmediate(push);
    }
  });
  return { url, flush: () => push() };
}

async function route(mock: Mock, req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  const path = req.url ?? '/';
  if (req.method === 'PUT' && path === '/faults') {
    mock.faults.replace(body as unknown[]);
    return send(res, 200, mock.faults.list());
  }
  if (req.method === 'GET' && path === '/calls') return send(res, 200, mock.log.list());
  if (req.method === 'DELETE' && path === '/calls') {
    mock.log.clear();
    return send(res, 200, {});
  }
  if (req.method === 'POST' && path === '/tools') return send(res, 200, await mock.addTool(body));
  if (req.method === 'DELETE' && path.startsWith('/tools/')) {
    return send(res, 200, { removed: await mock.removeTool(decodeURIComponent(path.slice(7))) });
  }
  if (req.method === 'POST' && path === '/kill') {
    send(res, 200, {});
    setImmediate(() => void mock.kill());
    return;
  }
  send(res, 404, { error: `no route ${req.method} ${path}` });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
