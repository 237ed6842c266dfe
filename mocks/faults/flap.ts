import { z } from 'zod';
import { defineFault } from './types.js';

/**
 * The mock goes down and comes back on a schedule while the fault is installed:
 * an HTTP mock closes its listener (connections refused) during each down phase.
 */
export const flap = defineFault({
  type: 'flap',
  summary: 'go down and up on a schedule (listener closed while down)',
  transports: ['http', 'sse'],
  schema: z
    .object({
      type: z.literal('flap'),
      id: z.string().min(1).optional(),
      downMs: z.number().int().min(1),
      upMs: z.number().int().min(1),
      startDown: z.boolean().default(true).describe('begin with a down phase'),
      cycles: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe('stop after N down phases (default: until removed)'),
    })
    .strict(),
  attach: (p, mock) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let downs = 0;
    let transition: Promise<void> = Promise.resolve();
    const phase = (down: boolean) => {
      if (stopped) return;
      if (down && p.cycles !== undefined && downs >= p.cycles) return;
      if (down) downs++;
      transition = down ? mock.goDown() : mock.goUp();
      void transition.finally(() => {
        if (stopped) return;
        timer = setTimeout(() => phase(!down), down ? p.downMs : p.upMs);
        timer.unref?.();
      });
    };
    phase(p.startDown);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      // A down phase may still be closing the listener (goUp would be a no-op until it has):
      // come back up once it is done, unless the mock is being stopped or killed meanwhile.
      const bringUp = () => (mock.stopSignal.aborted ? undefined : mock.goUp());
      void transition.then(bringUp, bringUp);
    };
  },
});
