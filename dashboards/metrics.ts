import { PROM_METRICS } from '../harness/measure/prom.js';

/**
 * Every Prometheus metric the dashboards and rules read, in one table. Probe names are the
 * probe daemon's (docs/probe.md); harness names come from harness/measure/prom.ts; load names
 * are what `mcp-harness load` will export (docs/dashboards.md: not exported yet).
 */
export const METRICS = {
  probeSuccess: 'probe_success',
  probeDuration: 'probe_duration_seconds',
  probePhase: 'mcp_probe_phase_duration_seconds',
  probeTools: 'mcp_probe_tools',
  probeToolsChanged: 'mcp_probe_tools_changed',
  probeCatalogHash: 'mcp_probe_catalog_hash',
  probeErrors: 'mcp_probe_errors_total',
  probeCall: 'mcp_probe_call_duration_seconds',
  daemonProbes: 'mcp_probe_daemon_probes_total',
  daemonInFlight: 'mcp_probe_daemon_probes_in_flight',
  daemonConfigOk: 'mcp_probe_daemon_config_last_reload_successful',
  ...PROM_METRICS,
} as const;

/** What `mcp-harness load` will export (a later issue): the load panels read these. */
export const LOAD_METRICS = {
  requests: 'mcp_harness_load_requests_total',
  responseTime: 'mcp_harness_load_response_time_seconds',
  serviceTime: 'mcp_harness_load_service_time_seconds',
  inflight: 'mcp_harness_load_inflight',
  targetRate: 'mcp_harness_load_target_rate',
} as const;

/** The probe latency SLO the burn-rate alerts watch: this share of calls under this many seconds. */
export const LATENCY_SLO = { objective: 0.99, thresholdSeconds: 1 } as const;
