import { Counter, collectDefaultMetrics, Gauge, type Registry } from 'prom-client';

/** The daemon's own health (docs/probe.md), next to prom-client's default process metrics. */
export interface DaemonMetrics {
  probeDone(success: boolean): void;
  inFlight: Gauge;
  skipped(target: string, module: string): void;
  targets: Gauge;
  reloaded(success: boolean): void;
}

export function createDaemonMetrics(registry: Registry): DaemonMetrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const probes = new Counter({
    name: 'mcp_probe_daemon_probes_total',
    help: 'Probes run by the schedule and /probe',
    labelNames: ['result'],
    registers,
  });
  const inFlight = new Gauge({
    name: 'mcp_probe_daemon_probes_in_flight',
    help: 'Probes running now',
    registers,
  });
  const skipped = new Counter({
    name: 'mcp_probe_daemon_probes_skipped_total',
    help: 'Scheduled probes skipped because the previous one of the same target and module still ran',
    labelNames: ['target', 'module'],
    registers,
  });
  const targets = new Gauge({ name: 'mcp_probe_daemon_targets', help: 'Targets configured', registers });
  const reloads = new Counter({
    name: 'mcp_probe_daemon_config_reloads_total',
    help: 'Config reloads (SIGHUP, POST /-/reload)',
    labelNames: ['result'],
    registers,
  });
  const lastOk = new Gauge({
    name: 'mcp_probe_daemon_config_last_reload_successful',
    help: '1 when the last (re)load of the config succeeded, 0 when it was refused and the old config kept',
    registers,
  });
  const lastOkTime = new Gauge({
    name: 'mcp_probe_daemon_config_last_reload_success_timestamp_seconds',
    help: 'Unix time of the last successful config load',
    registers,
  });
  for (const result of ['success', 'failure']) {
    probes.inc({ result }, 0);
    reloads.inc({ result }, 0);
  }
  lastOk.set(1);
  lastOkTime.set(Date.now() / 1000);
  return {
    probeDone: (success) => probes.inc({ result: success ? 'success' : 'failure' }),
    inFlight,
    skipped: (target, module) => skipped.inc({ target, module }),
    targets,
    reloaded(success) {
      reloads.inc({ result: success ? 'success' : 'failure' });
      lastOk.set(success ? 1 : 0);
      if (success) lastOkTime.set(Date.now() / 1000);
    },
  };
}
