import type { Prompt } from '@modelcontextprotocol/client';
import { clip } from '../../runner/outcome.js';
import type { NamingSpec } from '../../schema/target.js';
import { prefixedName } from '../../target/naming.js';
import { check, fail, pass, skip } from '../types.js';
import { answer, listAll, listOf } from './catalogue-util.js';
import { mentions, narrow } from './resources-routed.js';

/**
 * The listed prompt that stands for a fleet prompt: the name the prefix rule
 * gives, else a name that contains the prompt's own (prefixed, suffixed, the
 * server's name anywhere in it), as tools are mapped by a naming rule.
 */
export function exposedPrompt(naming: NamingSpec, listed: readonly Prompt[], server: string, name: string) {
  if (naming.mode === 'prefix') {
    const want = prefixedName(server, name, naming.prefix, naming.separator);
    const hit = listed.find((p) => p.name === want);
    if (hit) return { item: hit, how: 'the prefix rule' };
  }
  const candidates = listed.filter((p) => p.name === name || mentions(p.name, name));
  return narrow(candidates, (p) => [p.name], server, 'its name');
}

/** prompts/get through the gateway reaches the server that owns the prompt, with the downstream's own name. */
export const promptsRouted = check({
  id: 'gateway.prompts-routed',
  title: 'prompts/get reaches the prompt’s server',
  suite: 'gateway',
  specRef: 'MCP 2025-11-25 server/prompts §Listing Prompts, §Getting a Prompt',
  severity: 'must',
  concurrent: true,
  expected:
    'each fleet prompt is listed (under its name, the prefix rule’s, or any name containing it) and prompts/get ' +
    'of the listed name returns that server’s rendered messages',
  async run(ctx) {
    const session = ctx.session;
    if (!session) return skip('no single endpoint');
    const expected = ctx.fleet.spec.servers.flatMap((s) =>
      s.prompts.map((p) => ({ server: s.name, prompt: p })),
    );
    if (expected.length === 0) return skip('the fleet serves no prompts');
    const client = session.connection.client;
    const listed = await answer(listAll<Prompt>(client, 'prompts/list', ctx));
    if (listed.kind === 'error')
      return fail(`prompts/list failed: JSON-RPC error ${listed.code}: ${clip(listed.message)}`);
    const prompts = listed.result.items as Prompt[];
    const problems: string[] = [];
    const seen: string[] = [];
    for (const { server, prompt } of expected) {
      const m = exposedPrompt(ctx.target.spec.naming, prompts, server, prompt.name);
      if (!m) {
        problems.push(`${server}.${prompt.name} is not listed under a name that contains '${prompt.name}'`);
        continue;
      }
      if ('ambiguous' in m) {
        problems.push(
          `${server}.${prompt.name}: listed ambiguously as ${listOf(m.ambiguous.map((p) => p.name))}`,
        );
        continue;
      }
      const name = m.item.name;
      const args = Object.fromEntries(prompt.arguments.map((a) => [a.name, `harness-${a.name}`]));
      const want = prompt.messages[0]?.text.replace(
        /\{\{\s*args\.([\w.-]+)\s*\}\}/g,
        (_m, k: string) => args[k] ?? '',
      );
      const got = await answer(
        client.request(
          { method: 'prompts/get', params: { name, arguments: args } },
          { timeout: ctx.timeoutMs, signal: ctx.signal },
        ),
      );
      if (got.kind === 'error') {
        problems.push(`prompts/get ${name}: JSON-RPC error ${got.code}: ${clip(got.message, 100)}`);
        continue;
      }
      const content = (got.result.messages as Array<{ content?: { text?: string } }> | undefined)?.[0]
        ?.content;
      if (content?.text !== want) {
        problems.push(
          `prompts/get ${name}: ${JSON.stringify(clip(String(content?.text), 80))} instead of ${JSON.stringify(want)}`,
        );
      } else seen.push(`${name} → ${JSON.stringify(want)}`);
    }
    return problems.length === 0 ? pass(seen.join('; ')) : fail([...problems, ...seen].join('; '));
  },
});
