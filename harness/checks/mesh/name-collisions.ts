import { check, fail, pass, skip } from '../types.js';

/**
 * Two servers of one mesh exposing the same tool name: a host that flattens
 * the tool list (most do) must rename or drop one, and a model can pick the
 * wrong one. Reported from the tool lists the harness got, plus the tool
 * map's own duplicate/ambiguous problems.
 */
export const meshNameCollisions = check({
  id: 'mesh.name-collisions',
  title: 'no tool name is exposed by two servers of the mesh',
  suite: 'mesh',
  specRef:
    'MCP 2025-11-25 server/tools §Tool names (unique within a server); practice: hosts merge tool lists',
  severity: 'should',
  expected: 'every tool name is exposed by one server only, so a host can merge the lists without renaming',
  async run(ctx) {
    const owners = new Map<string, string[]>();
    for (const [server, tools] of ctx.target.tools)
      for (const t of tools) owners.set(t.name, [...(owners.get(t.name) ?? []), server]);
    const collisions = [...owners]
      .filter(([, s]) => s.length > 1)
      .map(([name, s]) => `'${name}' on ${s.sort().join(', ')}`);
    const mapped = ctx.toolMap.problems
      .filter((p) => p.problem === 'duplicate' || p.problem === 'ambiguous')
      .map((p) => p.detail);
    const all = [...collisions, ...new Set(mapped)];
    if (all.length > 0)
      return fail(
        `${collisions.length} tool name${collisions.length === 1 ? '' : 's'} on several servers: ${all.join('; ')}`,
        {
          collisions,
        },
      );
    if (owners.size === 0) return skip('no server of the mesh lists a tool: no names to compare');
    return pass(`${owners.size} tool names on ${ctx.target.tools.size} servers, none shared`);
  },
});
