import { fromJsonSchema } from '@modelcontextprotocol/client';
import { check, fail, pass, skip } from '../types.js';

/** Why a tool schema is not a usable JSON Schema object, or undefined when it is. */
function schemaProblem(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'not an object';
  if ((schema as Record<string, unknown>).type !== 'object')
    return `type is ${JSON.stringify((schema as Record<string, unknown>).type)}, not "object"`;
  try {
    fromJsonSchema(schema as never); // compiles it: an invalid keyword value throws
    return undefined;
  } catch (e) {
    return `does not compile: ${(e as Error).message}`;
  }
}

/** Every tool of every server has an inputSchema (and outputSchema, if any) that is a valid JSON Schema object. */
export const meshToolSchemas = check({
  id: 'mesh.tool-schemas-valid',
  title: "every server's tool schemas are valid JSON Schema objects",
  suite: 'mesh',
  specRef: 'MCP 2025-11-25 server/tools §Tool (inputSchema/outputSchema: JSON Schema, type "object")',
  severity: 'must',
  expected:
    'each listed tool has an inputSchema (and an optional outputSchema) of type "object" that compiles as JSON Schema',
  async run(ctx) {
    const servers = [...ctx.target.tools];
    if (servers.length === 0) return skip('the mesh has no servers');
    const problems: string[] = [];
    let n = 0;
    for (const [server, tools] of servers) {
      for (const t of tools) {
        n++;
        const input = schemaProblem(t.inputSchema);
        if (input) problems.push(`${server}.${t.name} inputSchema ${input}`);
        if (t.outputSchema !== undefined) {
          const output = schemaProblem(t.outputSchema);
          if (output) problems.push(`${server}.${t.name} outputSchema ${output}`);
        }
      }
    }
    if (problems.length > 0) return fail(problems.join('; '));
    if (n === 0) return skip('no server of the mesh lists a tool: no schema to judge');
    return pass(`${n} tools on ${servers.length} servers, every schema a valid JSON Schema object`);
  },
});
