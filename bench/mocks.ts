/**
 * bench:mocks — a mock over Streamable HTTP vs a bare SDK server with the
 * same tool, same machine, same load, one run. Each server runs in its own
 * process; autocannon (closed loop, throughput only — its latencies are not
 * used) drives tools/call with a unique JSON-RPC id per request, spread over
 * one session per connection, on both sides alike. Rounds alternate
 * mock/bare so machine noise hits both; the ratio of medians is the result.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonToolCalls } from './autocannon.js';
import { median, openSession, startServer } from './lib.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** JSON-RPC ids never repeat within the run, on either side. */
let nextId = 1;

async function measure(url: string, sessions: string[]): Promise<number> {
  const r = await autocannonToolCalls({
    url,
    sessions,
    tool: 'echo',
    args: { x: 1 },
    connections: CONNECTIONS,
    seconds: SECONDS,
    firstId: nextId,
  });
  nextId = r.nextId;
  return r.rps;
}

async function openSessions(url: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) out.push(await openSession(url));
  return out;
}

const mock = await startServer(join(here, 'servers', 'mock.js'));
const bare = await startServer(join(here, 'servers', 'bare.js'));
try {
  const sessions = { mock: await openSessions(mock.url), bare: await openSessions(bare.url) };
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
