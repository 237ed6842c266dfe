/**
 * Every mock tool description ends with an origin tag naming the fleet server
 * and tool it came from. A gateway may rename or prefix tools however it
 * likes; as long as it keeps descriptions, the harness maps exposed names back
 * to `server.tool` through this tag.
 */
export const ORIGIN_TAG_RE = /\[origin:([A-Za-z0-9_-]+)\/([A-Za-z0-9_.-]+)\]/;

export function originTag(server: string, tool: string): string {
  return `[origin:${server}/${tool}]`;
}

export function withOriginTag(description: string, server: string, tool: string): string {
  const tag = originTag(server, tool);
  return description ? `${description} ${tag}` : tag;
}
