import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calibrationSpec, startCalibrationFleet } from '../../mocks/server/calibration-host.js';
import type { Fleet } from '../../mocks/server/fleet.js';
import type { MockHandle } from '../../mocks/server/handle.js';
import { jsonCall } from '../../mocks/server/json-http.js';
import { connectRemoteFleet } from '../../mocks/server/remote-fleet.js';
import { RemoteMockHandle } from '../../mocks/server/remote-handle.js';
import type { Endpoint } from '../schema/target.js';
import { spawnFleetChild } from './fleet-child.js';

/**
 * Where the calibration mock runs, like what the harness measures:
 * - `local` (this process) when the steps call mocks served by this process
 *   (a mesh over the run's own fleet);
 * - `fleet` (hosted by the process that serves the run's mocks, through its
 *   control API) when the fleet runs elsewhere: the same code in the same
 *   process, so as warm as the mocks behind the SUT. A fresh process is slower
 *   per call until it has served a few thousand calls, and that difference
 *   would be charged to the SUT;
 * - `process` (its own process) when the steps call another process and the
 *   run's mocks are served here (a gateway, a chain) or there is no fleet.
 * A loopback hop to another process costs a wake-up on each side that an
 * in-process server does not, and an in-process server's work runs on the
 * harness's own thread: calibrating one for the other is a bias of about
 * 0.1 ms. stdio mocks are always their own process.
 */
export type Placement = 'local' | 'fleet' | 'process';

/** `local` only when every connection of the target leads to a mock of `fleet` served in this process. */
export function placementOf(
  pattern: string,
  fleet: Fleet | undefined,
  endpoints: Iterable<Endpoint>,
): Placement {
  if (!fleet) return 'process';
  const handles = [...fleet.mocks.values()].filter((m) => m.transport !== 'stdio');
  if (handles.length > 0 && fleet.controlUrl && handles.every((m) => m instanceof RemoteMockHandle))
    return 'fleet';
  if (pattern !== 'mesh' && pattern !== 'direct') return 'process';
  const local = [...fleet.mocks.values()].filter((m) => isLocal(m));
  const urls = new Set(local.map((m) => m.endpoint()?.url).filter((u) => u !== undefined));
  for (const ep of endpoints) if (ep.transport === 'stdio' || !urls.has(ep.url)) return 'process';
  return 'local';
}

function isLocal(m: MockHandle): boolean {
  return m.transport !== 'stdio' && !(m instanceof RemoteMockHandle);
}

export type ResponseMode = 'sse' | 'json';

/**
 * How a Streamable HTTP endpoint answers a POST (an SSE stream or one JSON
 * body): part of the transport's cost, so the calibration mock answers the
 * same way. A mock of `fleet` says so in its spec; any other endpoint is
 * asked once (an initialize, its session deleted right after). Not HTTP, or
 * no answer: `sse`, the mocks' default.
 */
export async function responseModeOf(
  ep: Endpoint | undefined,
  fleet: Fleet | undefined,
): Promise<ResponseMode> {
  if (ep?.transport !== 'http') return 'sse';
  const server = fleet?.spec.servers.find((s) => fleet.mocks.get(s.name)?.endpoint()?.url === ep.url);
  if (server) return server.http.response;
  const headers = {
    ...ep.headers,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  try {
    const res = await fetch(ep.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'mcp-harness-calibration', version: '0' },
        },
      }),
      signal: AbortSignal.timeout(2_000),
    });
    const type = res.headers.get('content-type') ?? '';
    const session = res.headers.get('mcp-session-id');
    await res.body?.cancel().catch(() => {});
    if (session) {
      await fetch(ep.url, {
        method: 'DELETE',
        headers: { ...ep.headers, 'mcp-session-id': session },
        signal: AbortSignal.timeout(2_000),
      }).catch(() => {});
    }
    return type.includes('application/json') ? 'json' : 'sse';
  } catch {
    return 'sse';
  }
}

/**
 * The one-tool calibration fleet for `transport`: started here, hosted by the
 * run's fleet process (`host`, placement `fleet`), or as `mcp-harness mock` in
 * a child process; `stop` stops what this call started (a hosted one stays
 * with its host).
 */
export async function calibrationFleet(
  transport: Endpoint['transport'],
  placement: Placement,
  dir: string,
  response: ResponseMode = 'sse',
  host?: Fleet,
): Promise<Fleet> {
  const spec = calibrationSpec(transport, response);
  if (placement === 'local' || transport === 'stdio') return startCalibrationFleet(transport, response);
  if (placement === 'fleet' && host?.controlUrl) {
    // A host that cannot (an older mcp-harness) leaves it to a process of its own.
    const hosted = await hostedBy(host.controlUrl, transport, response).catch(() => undefined);
    if (hosted) return { ...(await connectRemoteFleet(hosted, spec)), stop: async () => {} };
  }
  const file = join(dir, `calibration-${transport}.json`);
  await writeFile(file, JSON.stringify(spec));
  const proc = await spawnFleetChild(
    file,
    join(dir, `calibration-${transport}.mcp.json`),
    'the calibration mock',
  );
  try {
    return { ...(await connectRemoteFleet(proc.controlUrl, spec)), stop: proc.stop };
  } catch (e) {
    await proc.stop();
    throw e;
  }
}

async function hostedBy(controlUrl: string, transport: Endpoint['transport'], response: ResponseMode) {
  const body = { transport, response };
  return (await jsonCall<{ controlUrl: string }>(`${controlUrl}/calibration`, 'POST', body, 10_000))
    .controlUrl;
}
