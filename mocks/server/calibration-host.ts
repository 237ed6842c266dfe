import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { validate } from '../../harness/config/load.js';
import type { Fleet } from './fleet.js';

/**
 * A calibration mock hosted by a fleet's own process (`POST /calibration` on
 * its control API): one tool that does nothing, served by the same code, in
 * the same process and so in the same optimisation state as the mocks the
 * SUT calls. A harness in another process measures its own cost per call
 * against it (harness/runner/calibrate.ts). A fresh process would not do:
 * its code is slower until it has served a few thousand calls, and that
 * difference would be charged to the SUT. One per transport and response
 * mode, started on first request, stopped with the control API; it is not
 * one of the fleet's servers (not listed, not in the mcpServers file).
 */
export const CalibrationRequestSchema = z
  .object({
    transport: z.enum(['http', 'sse']),
    response: z.enum(['json', 'sse']).default('sse'),
  })
  .strict();
export type CalibrationRequest = z.infer<typeof CalibrationRequestSchema>;

/** The calibration fleet's spec: what the hosting process starts and what the harness expects of it. */
export function calibrationSpec(transport: 'http' | 'sse' | 'stdio', response: 'json' | 'sse' = 'sse') {
  return {
    servers: [
      {
        name: 'calibration',
        transport,
        ...(transport === 'http' ? { http: { response } } : {}),
        tools: [{ name: 'noop', result: { text: 'ok' } }],
      },
    ],
  };
}

/** Register `POST /calibration` on a control API: answers `{ controlUrl }` of the hosted calibration fleet. */
/** Start the calibration fleet in this process (stopped again if it cannot start). */
export async function startCalibrationFleet(
  transport: 'http' | 'sse' | 'stdio',
  response: 'json' | 'sse' = 'sse',
): Promise<Fleet> {
  // Imported here: fleet.ts builds the control API that hosts calibration mocks.
  const { createFleet } = await import('./fleet.js');
  const fleet = createFleet(calibrationSpec(transport, response));
  try {
    await fleet.start();
  } catch (e) {
    await fleet.stop();
    throw e;
  }
  return fleet;
}

export function hostCalibration(app: FastifyInstance): void {
  const hosted = new Map<string, Promise<Fleet>>();
  app.post('/calibration', async (req) => {
    const body = validate(CalibrationRequestSchema, req.body ?? {}, 'calibration request');
    const key = `${body.transport}/${body.response}`;
    let fleet = hosted.get(key);
    if (!fleet) {
      fleet = startCalibrationFleet(body.transport, body.response);
      hosted.set(key, fleet);
      fleet.catch(() => hosted.delete(key));
    }
    return { controlUrl: (await fleet).controlUrl };
  });
  app.addHook('onClose', async () => {
    const all = [...hosted.values()];
    hosted.clear();
    await Promise.allSettled(all.map(async (f) => (await f).stop()));
  });
}
