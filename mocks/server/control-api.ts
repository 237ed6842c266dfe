import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { isHarnessError } from '../../harness/errors.js';
import { CallQuerySchema, type CallRecord } from '../../harness/schema/call-log.js';
import { hostCalibration } from './calibration-host.js';
import type { MockHandle } from './handle.js';
import type { StdioMockProxy } from './stdio-proxy.js';

/**
 * The control plane, shaped like Toxiproxy's API: list mocks, add/remove/list
 * faults per mock, reset, read the call log, kill/restart a mock, add/remove
 * tools (which sends list_changed). stdio mocks spawned by a SUT register and
 * push their records here too.
 */
export function buildControlApi(mocks: Map<string, MockHandle>): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });

  const find = (name: string, reply: FastifyReply): MockHandle | undefined => {
    const m = mocks.get(name);
    if (!m) void reply.code(404).send({ error: `no mock named '${name}'`, mocks: [...mocks.keys()] });
    return m;
  };
  const describe = (m: MockHandle) => ({
    name: m.name,
    transport: m.transport,
    status: m.status(),
    endpoint: m.endpoint(),
    instances: m.instances(),
    faults: m.listFaults(),
  });

  app.setErrorHandler((error, _req, reply) => {
    if (isHarnessError(error)) {
      return reply.code(400).send({ error: error.message, code: error.code, problems: error.problems });
    }
    return reply
      .code((error as { statusCode?: number }).statusCode ?? 500)
      .send({ error: (error as Error).message });
  });

  app.get('/mocks', async () => [...mocks.values()].map(describe));
  app.get<{ Params: { name: string } }>('/mocks/:name', async (req, reply) => {
    const m = find(req.params.name, reply);
    return m && describe(m);
  });

  app.get<{ Params: { name: string } }>('/mocks/:name/faults', async (req, reply) =>
    find(req.params.name, reply)?.listFaults(),
  );
  app.post<{ Params: { name: string } }>('/mocks/:name/faults', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    const id = await m.addFault(req.body);
    return reply.code(201).send({ id, faults: m.listFaults() });
  });
  app.delete<{ Params: { name: string; id: string } }>('/mocks/:name/faults/:id', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    if (!(await m.removeFault(req.params.id)))
      return reply.code(404).send({ error: `no fault '${req.params.id}'` });
    return { faults: m.listFaults() };
  });
  app.delete<{ Params: { name: string } }>('/mocks/:name/faults', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    await m.resetFaults();
    return { faults: [] };
  });

  app.get<{ Params: { name: string }; Querystring: Record<string, string> }>(
    '/mocks/:name/calls',
    async (req, reply) => {
      const m = find(req.params.name, reply);
      if (!m) return;
      const q = CallQuerySchema.parse({
        method: req.query.method,
        tool: req.query.tool,
        since: req.query.since === undefined ? undefined : Number(req.query.since),
      });
      return m.calls(q);
    },
  );
  app.delete<{ Params: { name: string } }>('/mocks/:name/calls', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    await m.clearCalls();
    return {};
  });

  app.post<{ Params: { name: string } }>('/mocks/:name/tools', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    return reply.code(201).send(await m.addTool(req.body));
  });
  app.delete<{ Params: { name: string; tool: string } }>('/mocks/:name/tools/:tool', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    if (!(await m.removeTool(req.params.tool)))
      return reply.code(404).send({ error: `no tool '${req.params.tool}'` });
    return {};
  });

  app.post<{ Params: { name: string } }>('/mocks/:name/kill', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    await m.kill();
    return describe(m);
  });
  app.post<{ Params: { name: string } }>('/mocks/:name/restart', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (!m) return;
    await m.restart();
    return describe(m);
  });

  hostCalibration(app);

  app.post('/reset', async () => {
    for (const m of mocks.values()) {
      await m.resetFaults();
      await m.clearCalls();
    }
    return {};
  });

  // Registration and record pushes from stdio mocks spawned by the SUT.
  app.post<{ Body: { mock: string; id: string; pid: number; url: string } }>(
    '/instances',
    async (req, reply) => {
      const m = find(req.body.mock, reply);
      if (!m) return;
      if (m.transport !== 'stdio')
        return reply.code(409).send({ error: `mock '${m.name}' is not a stdio mock` });
      return (m as StdioMockProxy).register(req.body);
    },
  );
  app.post<{ Params: { name: string }; Body: CallRecord[] }>('/mocks/:name/records', async (req, reply) => {
    const m = find(req.params.name, reply);
    if (m?.transport !== 'stdio') return;
    (m as StdioMockProxy).accept(req.body);
    return {};
  });

  return app;
}
