import { z } from 'zod';
import { ProtocolSchema } from '../../harness/schema/target.js';
import { defineProbeModule } from './types.js';

const CAPABILITIES = ['tools', 'resources', 'prompts', 'logging', 'completions'] as const;

/** Connect and initialize (or `server/discover` with protocol auto / 2026-07-28); the capabilities the server must declare. */
export const handshakeModule = defineProbeModule({
  kind: 'handshake',
  summary: 'connect, initialize, and check the declared capabilities',
  schema: z
    .object({
      kind: z.literal('handshake'),
      protocol: ProtocolSchema.default('legacy'),
      capabilities: z
        .array(z.enum(CAPABILITIES))
        .default([])
        .describe('capabilities the server must declare in its initialize answer'),
    })
    .strict(),
  async run(spec, ctx) {
    const { client } = await ctx.connect(spec.protocol);
    const declared = client.getServerCapabilities() ?? {};
    const info = client.getServerVersion();
    const details = [
      `server ${info?.name ?? '?'} ${info?.version ?? '?'}, protocol ${client.getNegotiatedProtocolVersion() ?? '?'}`,
    ];
    const missing = spec.capabilities.filter((c) => declared[c] === undefined);
    if (missing.length > 0) {
      return {
        ok: false,
        kind: 'protocol',
        reason: `the server does not declare ${missing.join(', ')} (declares ${Object.keys(declared).join(', ') || 'nothing'})`,
        details,
      };
    }
    return { ok: true, details };
  },
});
