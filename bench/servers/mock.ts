// The benchmark mock: one fleet server with the same tool as bare.ts, no faults. Prints its URL
// and its fleet's control API (call logs, for attribution by a harness in another process).
import { createFleet } from '../../mocks/server/fleet.js';
import { BENCH_FLEET } from '../lib.js';

const fleet = createFleet(BENCH_FLEET);
const [ep] = await fleet.start();
process.stdout.write(`${ep?.url} ${fleet.controlUrl}\n`);
process.on('SIGTERM', () => void fleet.stop().then(() => process.exit(0)));
