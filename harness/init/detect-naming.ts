import type { Tool } from '@modelcontextprotocol/client';
import { acquireFleet } from '../checks/check-fleet.js';
import { fleetEndpoints, fleetPlaceholders } from '../runner/fleet-endpoints.js';
import type { NamingSpec, TargetSpec } from '../schema/target.js';
import { originTagsIn } from '../target/naming.js';
import { openTarget, SUT } from '../target/target.js';

/** How a gateway names the fleet's tools, and what that was read from. */
export interface DetectedNaming {
  naming: NamingSpec;
  /** e.g. `alpha.echo is exposed as alpha__echo (12 of 12 tagged tools agree)`. */
  evidence: string;
}

/**
 * Infer the naming rule from a tool list whose descriptions carry the mocks'
 * `[origin:SERVER/TOOL]` tags: identity when every name is the tool's own,
 * prefix when every name is `PREFIX(server) SEPARATOR tool` with one
 * prefix template and one separator, else origin (the tags themselves).
 */
export function inferNaming(tools: readonly Tool[]): DetectedNaming {
  const tagged = tools.flatMap((t) => {
    const [tag] = originTagsIn(t.description);
    return tag && originTagsIn(t.description).length === 1 ? [{ exposed: t.name, ...tag }] : [];
  });
  if (tagged.length === 0) {
    return {
      naming: { mode: 'origin' },
      evidence: `none of the ${tools.length} listed tools carries an [origin:SERVER/TOOL] tag: naming left to origin`,
    };
  }
  const example = tagged[0] as (typeof tagged)[number];
  const shown = `${example.server}.${example.tool} is exposed as ${example.exposed}`;
  if (tagged.every((t) => t.exposed === t.tool)) {
    return {
      naming: { mode: 'identity' },
      evidence: `${shown}: names unchanged (${tagged.length} tagged tools)`,
    };
  }
  const shapes = new Set<string>();
  for (const t of tagged) {
    const at = t.exposed.indexOf(t.server);
    if (!t.exposed.endsWith(t.tool) || at < 0) {
      shapes.clear();
      break;
    }
    const head = t.exposed.slice(0, t.exposed.length - t.tool.length);
    const separator = head.slice(at + t.server.length);
    if (at + t.server.length > head.length || separator === '') {
      shapes.clear();
      break;
    }
    shapes.add(JSON.stringify([`${head.slice(0, at)}{server}`, separator]));
  }
  if (shapes.size === 1) {
    const [prefix, separator] = JSON.parse([...shapes][0] as string) as [string, string];
    return {
      naming: { mode: 'prefix', prefix, separator },
      evidence: `${shown}: prefix '${prefix}' and separator '${separator}' (${tagged.length} tagged tools agree)`,
    };
  }
  return {
    naming: { mode: 'origin' },
    evidence: `${shown}: no single prefix rule explains every name, the origin tags do (${tagged.length} tagged tools)`,
  };
}

/**
 * Start (or reach) the gateway once in front of the conformance fleet, list
 * its tools and infer the naming; everything started is stopped again.
 */
export async function detectNaming(spec: TargetSpec, signal?: AbortSignal): Promise<DetectedNaming> {
  const acquired = await acquireFleet({ ...spec, naming: { mode: 'origin' } }, undefined);
  try {
    const target = await openTarget(
      { ...spec, naming: { mode: 'origin' } },
      {
        placeholders: fleetPlaceholders(acquired.fleet, acquired.mcpServersFile),
        fleetEndpoints: fleetEndpoints(acquired.fleet),
        signal,
      },
    );
    try {
      return inferNaming(target.tools.get(SUT) ?? []);
    } finally {
      await target.close();
    }
  } finally {
    await acquired.release();
  }
}
