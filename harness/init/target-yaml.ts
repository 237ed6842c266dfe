import type { TargetSpec } from '../schema/target.js';

/**
 * The target file `init` writes: the same fields the schema reads, each with
 * a comment saying what it is for and what else it could be. Values are
 * written as JSON scalars and flow sequences, which YAML reads unchanged.
 */
export function renderTargetYaml(spec: TargetSpec, notes: { naming?: string } = {}): string {
  const v = (x: unknown) => JSON.stringify(x);
  const lines = [
    '# Target file written by `mcp-harness init`: how the harness reaches your gateway.',
    '# Check it with:  npx mcp-harness check --target THIS_FILE',
    '# Every field: README "Targets"; all placeholders: {mcpServersFile} (the fleet as a',
    '# standard mcpServers file), {port} (a free port), {workDir} (a scratch directory).',
  ];
  if (spec.name) lines.push(`name: ${v(spec.name)} # label in reports`);
  lines.push('pattern: gateway # the harness puts its mock fleet behind it and talks to it as a client');
  const ep = spec.endpoint;
  if (ep?.transport === 'stdio') {
    lines.push(
      '# The harness spawns the gateway and speaks MCP over its stdin/stdout.',
      'endpoint:',
      '  transport: stdio',
      `  command: ${v(ep.command)}`,
      `  args: ${v(ep.args)}`,
    );
  } else if (ep) {
    lines.push(
      `# Where the gateway serves MCP (${ep.transport === 'sse' ? 'legacy HTTP+SSE' : 'Streamable HTTP'}); headers: {Authorization: "Bearer $` +
        '{TOKEN}"} if it needs one.',
      'endpoint:',
      `  transport: ${ep.transport}`,
      `  url: ${v(ep.url)}`,
    );
  }
  if (spec.launch) {
    const l = spec.launch;
    lines.push(
      '# How the harness starts the gateway (and always stops it): it writes the fleet to',
      '# {mcpServersFile} first. Remove `launch` to check a gateway that is already running.',
      'launch:',
      `  command: ${v(l.command)}`,
      `  args: ${v(l.args)}`,
    );
    if (l.ready) {
      const [kind, value] = Object.entries(l.ready).find(([, x]) => x !== undefined) as [string, unknown];
      lines.push(
        `  ready: { ${kind}: ${v(value)} } # or log: REGEX (a stdout/stderr line), http: URL, handshake: true`,
      );
    } else {
      lines.push('  # ready: { log: "listening" } # default: ready when the MCP handshake succeeds');
    }
  }
  const n = spec.naming;
  const naming =
    n.mode === 'prefix'
      ? `{ mode: prefix, prefix: ${v(n.prefix)}, separator: ${v(n.separator)} }`
      : `{ mode: ${n.mode} }`;
  lines.push(
    '# How the gateway names downstream tools: prefix (server + separator + tool), identity (unchanged),',
    '# or origin (read from the [origin:SERVER/TOOL] tag every mock puts in its descriptions).',
  );
  if (notes.naming) lines.push(`# Detected: ${notes.naming.replace(/\n/g, ' ')}`);
  lines.push(`naming: ${naming}`);
  lines.push(
    `timeoutMs: ${spec.timeoutMs} # how long the harness waits for one request`,
    `deadlineMs: ${spec.deadlineMs} # checks: the gateway must answer a call whose backend hangs or crashes within this`,
  );
  return `${lines.join('\n')}\n`;
}
