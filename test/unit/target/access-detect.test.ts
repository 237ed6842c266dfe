import { describe, expect, it } from 'vitest';
import { codeModeReason, detectCodeMode, looksMeta } from '../../../harness/target/access-detect.js';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('looksMeta', () => {
  it.each([
    'execute',
    'run_code',
    'execute_code',
    'search_tools',
    'retrieve_tools',
    'retrieveTools',
    'list-servers',
    'list_servers',
    'call_tool',
    'get_tool',
    'describe_tool_schema',
    'mcp-find',
    'mcp-exec',
    'code-mode',
    'eval',
  ])('%s is a meta-tool name', (name) => {
    expect(looksMeta(name)).toBe(true);
  });

  it.each([
    'echo',
    'alpha__echo',
    'get_weather',
    'list_files',
    'execute_command',
    'lookup',
    'beta_lookup',
    'status',
    'filler_3',
  ])('%s is not', (name) => {
    expect(looksMeta(name)).toBe(false);
  });
});

describe('detectCodeMode', () => {
  const FLEET = 20;

  it('a tool-search listing with none of the fleet mapped is code-mode', () => {
    const listed = named('list_servers', 'search_tools', 'call_tool');
    expect(
      detectCodeMode(
        listed,
        listed.map((t) => t.name),
        0,
        FLEET,
      ),
    ).toEqual({
      tools: ['list_servers', 'search_tools', 'call_tool'],
    });
  });

  it('a few pinned direct tools beside the meta-tools still are', () => {
    const listed = named('execute', 'search', 'alpha__echo', 'beta__echo');
    expect(detectCodeMode(listed, ['execute', 'search'], 2, FLEET)?.tools).toEqual(['execute', 'search']);
  });

  it('a gateway that lost some tools is not (most of the fleet mapped)', () => {
    const listed = named(...Array.from({ length: 12 }, (_, i) => `alpha__t${i}`), 'list_servers');
    expect(detectCodeMode(listed, ['list_servers'], 12, FLEET)).toBeUndefined();
  });

  it('a gateway that lost every tool and lists nothing, or only its own non-meta tools, is not', () => {
    expect(detectCodeMode([], [], 0, FLEET)).toBeUndefined();
    const own = named('health', 'restart_backend', 'status');
    expect(
      detectCodeMode(
        own,
        own.map((t) => t.name),
        0,
        FLEET,
      ),
    ).toBeUndefined();
  });

  it('tools under a naming the target does not know are a naming problem, not code-mode', () => {
    const renamed = named('alpha_echo', 'alpha_add', 'beta_lookup', 'gamma_status', 'alpha_list_tools');
    expect(
      detectCodeMode(
        renamed,
        renamed.map((t) => t.name),
        0,
        FLEET,
      ),
    ).toBeUndefined();
  });

  it('says so in one sentence that names the meta-tools and the remedy', () => {
    expect(codeModeReason({ tools: ['execute', 'search'] })).toBe(
      'the SUT is a code-mode/tool-search gateway (meta-tools: execute, search); ' +
        'give the target an access adapter (access: ./module.ts) to check it',
    );
  });
});
