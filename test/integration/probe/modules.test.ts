import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../../mocks/server/fleet.js';
import { runProbe, runRound } from '../../../probes/index.js';
import { moduleSpec } from '../../../probes/modules/registry.js';
import { startFleet } from '../../helpers/mocks.js';
import { config, endpointsOf, PROBE_FLEET, type TempDir, tempDir } from './fixtures.js';

let fleet: Fleet;
let ep: Record<string, Record<string, unknown>>;
let tmp: TempDir;

beforeAll(async () => {
  fleet = await startFleet(PROBE_FLEET, { only: ['web', 'legacy'] });
  ep = endpointsOf(fleet);
  tmp = await tempDir();
});
afterAll(async () => {
  await fleet?.stop();
  await tmp?.remove();
});

const target = (name: string, modules: string[], extra: Record<string, unknown> = {}) => ({
  name,
  endpoint: ep[name],
  modules,
  timeout: '8s',
  ...extra,
});

describe('probe modules against real mocks', () => {
  it('handshake: connects over Streamable HTTP and legacy SSE; a missing capability fails as protocol', async () => {
    const cfg = await config({
      modules: { needsPrompts: { kind: 'handshake', capabilities: ['completions'] } },
      targets: [target('web', ['handshake', 'needsPrompts']), target('legacy', ['handshake'])],
    });
    const [web, needs, legacy] = await runRound(cfg);
    expect(web).toMatchObject({ success: true, target: 'web', module: 'handshake' });
    expect(web!.phasesUs.connect).toBeGreaterThanOrEqual(0);
    expect(web!.phasesUs.initialize).toBeGreaterThan(0);
    expect(web!.details[0]).toMatch(/server web/);
    expect(legacy).toMatchObject({ success: true });
    expect(needs).toMatchObject({ success: false, kind: 'protocol' });
    expect(needs!.reason).toMatch(/does not declare completions/);
  });

  it('tools: lists every page, hashes the catalogue, and reports drift against the previous probe', async () => {
    const cfg = await config({ targets: [target('web', ['tools'])] });
    const t = cfg.targets[0]!;
    const spec = moduleSpec('tools', cfg.modules)!;
    const previous = new Map<string, unknown>();
    const first = await runProbe(t, 'tools', spec, { previous });
    // pageSize 2 and five tools: three pages, every one followed.
    expect(first).toMatchObject({ success: true, tools: 5, changed: 0 });
    expect(first.phasesUs.list).toBeGreaterThan(0);
    const web = fleet.mocks.get('web')!;
    await web.addTool({ name: 'added_tool', description: 'new', inputSchema: { type: 'object' } });
    try {
      const second = await runProbe(t, 'tools', spec, { previous });
      // Against the previous probe drift is reported, not failed (the catalogue-changed alert reads it).
      expect(second).toMatchObject({ success: true, tools: 6, changed: 1 });
      expect(second.catalogHash).not.toBe(first.catalogHash);
      expect(second.details).toContain('added: added_tool');
      const third = await runProbe(t, 'tools', spec, { previous });
      expect(third).toMatchObject({ changed: 0, catalogHash: second.catalogHash });
    } finally {
      await web.removeTool('added_tool');
    }
  });

  it('tools: a pinned snapshot (written by --update-snapshots) fails the probe on drift', async () => {
    const cfg = await config(
      {
        modules: { pinned: { kind: 'tools', snapshot: 'snap/web.json' } },
        targets: [target('web', ['pinned'])],
      },
      tmp.dir,
    );
    const t = cfg.targets[0]!;
    const spec = moduleSpec('pinned', cfg.modules)!;
    const missing = await runProbe(t, 'pinned', spec);
    expect(missing).toMatchObject({ success: false, kind: 'drift' });
    expect(missing.reason).toMatch(/missing.*update-snapshots/);
    expect((await runProbe(t, 'pinned', spec, { updateSnapshots: true })).success).toBe(true);
    const snap = JSON.parse(await readFile(join(tmp.dir, 'snap/web.json'), 'utf8'));
    expect(snap.tools.map((x: { name: string }) => x.name)).toEqual([
      'big',
      'broken',
      'echo',
      'extra',
      'slow',
    ]);
    expect((await runProbe(t, 'pinned', spec)).success).toBe(true);
    const web = fleet.mocks.get('web')!;
    await web.removeTool('extra');
    await web.addTool({
      name: 'echo',
      description: 'Echo the message',
      inputSchema: { type: 'object', properties: { message: { type: 'number' } } },
      result: { text: 'changed' },
    });
    try {
      const drift = await runProbe(t, 'pinned', spec);
      expect(drift).toMatchObject({ success: false, kind: 'drift', changed: 2, tools: 4 });
      expect(drift.reason).toMatch(/removed: extra/);
      expect(drift.reason).toMatch(/schema changed: echo/);
    } finally {
      await web.addTool(PROBE_FLEET.servers[0]!.tools![4]);
      await web.addTool(PROBE_FLEET.servers[0]!.tools![0]);
    }
  });

  it('call: checks outcome, text, structured and within; an isError answer fails as tool_error', async () => {
    const cfg = await config({
      modules: {
        echo: {
          kind: 'call',
          tool: 'echo',
          arguments: { message: 'hi' },
          expect: { text: 'echo: hi', structured: { said: 'hi' }, within: '5s' },
        },
        wrong: {
          kind: 'call',
          tool: 'echo',
          arguments: { message: 'hi' },
          expect: { text: { equals: 'nope' } },
        },
        broken: { kind: 'call', tool: 'broken' },
      },
      targets: [target('web', ['echo', 'wrong', 'broken'])],
    });
    const [echo, wrong, broken] = await runRound(cfg);
    expect(echo).toMatchObject({ success: true });
    expect(echo!.callsUs).toHaveLength(1);
    expect(echo!.phasesUs.call).toBeGreaterThan(0);
    expect(wrong).toMatchObject({ success: false, kind: 'expectation' });
    expect(wrong!.reason).toMatch(/text expected text equal to "nope", observed "echo: hi"/);
    expect(broken).toMatchObject({ success: false, kind: 'tool_error' });
    expect(broken!.reason).toMatch(/backend on fire/);
  });

  it('scenario: runs a read-only scenario file against the target', async () => {
    await tmp.write('ok.yaml', {
      steps: [
        { name: 'first', call: 'echo', args: { message: 'one' }, expect: { text: 'echo: one' } },
        {
          name: 'second',
          call: 'echo',
          args: { message: '{{steps.first.structured.said}}' },
          expect: { text: 'echo: one' },
        },
      ],
    });
    await tmp.write('bad.yaml', {
      steps: [{ name: 'x', call: 'echo', args: { message: 'a' }, expect: { text: 'zzz' } }],
    });
    const cfg = await config(
      {
        modules: {
          ok: { kind: 'scenario', scenario: 'ok.yaml' },
          bad: { kind: 'scenario', scenario: 'bad.yaml' },
        },
        targets: [target('web', ['ok', 'bad'])],
      },
      tmp.dir,
    );
    const [ok, bad] = await runRound(cfg);
    expect(ok, JSON.stringify(ok)).toMatchObject({ success: true });
    expect(ok!.callsUs).toHaveLength(2);
    expect(bad).toMatchObject({ success: false, kind: 'scenario' });
    expect(bad!.reason).toMatch(/step x: text/);
  });
});
