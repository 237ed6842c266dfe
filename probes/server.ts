import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { admitTarget } from './allow.js';
import type { ProbeDaemonCore } from './daemon.js';
import { labelNamesOf } from './daemon.js';
import { createProbeMetrics } from './metrics.js';
import { moduleSpec } from './modules/registry.js';

/** Blackbox exporter's margin: answer a little before Prometheus gives up on the scrape. */
const SCRAPE_MARGIN_S = 0.5;

/**
 * The daemon's HTTP face: `/metrics` (the long-lived registry), `/probe?target=&module=` (one probe,
 * its metrics from a fresh registry), `/healthz`, and `POST /-/reload`.
 */
export function buildProbeServer(core: ProbeDaemonCore): FastifyInstance {
  const app = Fastify({ logger: false });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', core.registry.contentType);
    return core.registry.metrics();
  });

  app.get('/healthz', async () => 'ok\n');

  app.post('/-/reload', async (_req, reply) => {
    const r = await core.reload();
    if (r.ok) return 'config reloaded\n';
    reply.code(500);
    return `config refused, the previous one stays in force:\n${r.error}\n`;
  });

  app.get<{ Querystring: { target?: string; module?: string; transport?: string } }>(
    '/probe',
    async (req, reply) => {
      const config = core.config();
      const { target: name, transport } = req.query;
      reply.type('text/plain; charset=utf-8');
      if (!name) return reply.code(400).send('target parameter is missing\n');
      const admission = admitTarget(config, name, transport);
      if (!admission.ok) return reply.code(admission.status).send(`${admission.message}\n`);
      const module = req.query.module ?? admission.target.modules[0] ?? 'handshake';
      if (!moduleSpec(module, config.modules)) {
        return reply.code(400).send(`unknown module '${module}'\n`);
      }
      const scrapeTimeout = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
      const timeoutMs =
        scrapeTimeout > SCRAPE_MARGIN_S ? Math.floor((scrapeTimeout - SCRAPE_MARGIN_S) * 1000) : undefined;
      const result = await core.probe(admission.target, module, admission.configured, timeoutMs);
      const registry = new Registry();
      createProbeMetrics(registry, labelNamesOf(config)).record(result);
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  );

  return app;
}
