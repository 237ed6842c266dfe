import { Server } from '@modelcontextprotocol/server';
import type { Defects } from './defects.js';
import { GATEWAY_INFO } from './downstream.js';

/**
 * The SDK Server the gateway answers upstream clients with: one per legacy
 * session, one per modern (2026-07-28) request. Same capabilities in both
 * eras, so the two faces cannot drift apart.
 */
export function createUpstreamServer(defects: Defects): Server {
  return new Server(GATEWAY_INFO, {
    capabilities: {
      tools: { listChanged: true },
      // completion/complete is relayed (DEFECT capabilities-overclaimed: advertised, not served;
      // DEFECT completion-dropped: neither).
      ...(defects.has('completion-dropped') ? {} : { completions: {} }),
      resources: { listChanged: true, subscribe: true },
      prompts: { listChanged: true },
      logging: {},
    },
    // DEFECT legacy-version-only: an older server that never learned 2025-11-25.
    ...(defects.has('legacy-version-only')
      ? { supportedProtocolVersions: ['2025-06-18', '2025-03-26', '2024-11-05'] }
      : {}),
  });
}
