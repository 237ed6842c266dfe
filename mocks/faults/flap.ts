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
    const phase = (down: boolean) => {
      if (stopped) return;
      if (down && p.cycles !== undefined && downs >= p.cycles) return;
      if (down) downs++;
      void (down ? mock.goDown() : mock.goUp()).finally(() => {
        if (stopped) return;
        timer = setTimeout(() => phase(!down), down ? p.downMs : p.upMs);
        timer.unref?.();
      });
    };
    phase(p.startDown);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      void mock.goUp();
    };
  },
});
