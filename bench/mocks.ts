/**
 * bench:mocks — a mock over Streamable HTTP vs a bare SDK server with the
 * same tool, same machine, same load, one run. Each server runs in its own
 * process; autocannon (closed loop, throughput only — its latencies are not
 * used) drives tools/call on one session. Rounds alternate mock/bare so
 * machine noise hits both; the ratio of medians is the result.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median, openSession, startServer } from './lib.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

async function measure(url: string, sid: string): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sid,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { x: 1 } },
    }),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result.requests.average;
}

const mock = await startServer(join(here, 'servers', 'mock.js'));
const bare = await startServer(join(here, 'servers', 'bare.js'));
try {
  const sessions = { mock: await openSession(mock.url), bare: await openSession(bare.url) };
  // Warm both up (JIT, schema compilation) before measuring.
  await measure(mock.url, sessions.mock);
  await measure(bare.url, sessions.bare);
  const rps = { mock: [] as number[], bare: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    rps.mock.push(await measure(mock.url, sessions.mock));
    rps.bare.push(await measure(bare.url, sessions.bare));
    console.log(
      `round ${i + 1}: mock ${rps.mock[i]!.toFixed(0)} req/s, bare ${rps.bare[i]!.toFixed(0)} req/s`,
    );
  }
  const ratio = median(rps.mock) / median(rps.bare);
  console.log(`median: mock ${median(rps.mock).toFixed(0)} req/s, bare ${median(rps.bare).toFixed(0)} req/s`);
  console.log(`mock/bare throughput ratio: ${ratio.toFixed(2)}`);
  process.exitCode = ratio >= 0.9 ? 0 : 1;
} finally {
  await mock.stop();
  await bare.stop();
}
