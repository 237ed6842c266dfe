import type { Endpoint } from '../harness/schema/target.js';
import type { ProbeConfig } from './config.js';
import type { ProbeTarget } from './targets.js';

/**
 * What `/probe?target=` may reach: a configured target by name, or a URL under one of the
 * config's `allow` prefixes (same origin, path under the prefix's path, no credentials).
 * Anything else is refused before a single byte leaves the daemon (no open proxy, no SSRF).
 */
export type Admission =
  | { ok: true; target: ProbeTarget; configured: boolean }
  | { ok: false; status: 400 | 403; message: string };

export function admitTarget(config: ProbeConfig, name: string, transport: string | undefined): Admission {
  const configured = config.targets.find((t) => t.name === name);
  if (configured) return { ok: true, target: configured, configured: true };
  let url: URL;
  try {
    url = new URL(name);
  } catch {
    return { ok: false, status: 400, message: `unknown target '${name}': not a configured target name` };
  }
  if (!allowed(url, config.allow)) {
    return {
      ok: false,
      status: 403,
      message: `target ${url.origin}${url.pathname} is not configured and not under an allow prefix`,
    };
  }
  if (transport !== undefined && transport !== 'http' && transport !== 'sse') {
    return { ok: false, status: 400, message: `transport must be http or sse, got '${transport}'` };
  }
  const endpoint: Endpoint = { transport: transport === 'sse' ? 'sse' : 'http', url: url.href, headers: {} };
  const d = config.defaults;
  return {
    ok: true,
    configured: false,
    target: {
      name: url.href,
      endpoint,
      modules: [],
      intervalMs: d.interval,
      timeoutMs: d.timeout,
      maxBytes: d.maxBytes,
      labels: {},
    },
  };
}

function allowed(url: URL, prefixes: readonly string[]): boolean {
  if (!/^https?:$/.test(url.protocol) || url.username || url.password) return false;
  return prefixes.some((p) => {
    const prefix = new URL(p);
    return url.origin === prefix.origin && url.pathname.startsWith(prefix.pathname);
  });
}
