// The benchmark mock: one fleet server with the same tool as bare.ts, no faults. Prints its URL.
import { createFleet } from '../../mocks/server/fleet.js';

const fleet = createFleet({
  servers: [
    {
      name: 'bench',
      transport: 'http',
      http: { response: 'json' },
      tools: [
        {
          name: 'echo',
          description: 'echo',
          inputSchema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
          result: { text: 'ok' },
        },
      ],
    },
  ],
});
const [ep] = await fleet.start();
process.stdout.write(`${ep?.url}\n`);
process.on('SIGTERM', () => void fleet.stop().then(() => process.exit(0)));
