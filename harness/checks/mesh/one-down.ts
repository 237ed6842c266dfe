import { describeError } from '../../target/connect.js';
import { check, fail, pass, skip } from '../types.js';
import { eachMember, members, meshOptions } from './members.js';

/**
 * Members of a mesh fail alone: with one server stopped, every other server
 * still answers ping and tools/list on the session the host already holds.
 */
export const meshOneDown = check({
  id: 'mesh.one-down-others-fine',
  title: 'with one server down, the other servers still answer',
  suite: 'mesh',
  specRef: 'practice: a host keeps one independent session per server (failure isolation)',
  severity: 'must',
  disruptive: true,
  expected: 'after one server is stopped, every other server of the mesh answers ping and tools/list',
  async run(ctx) {
    const o = meshOptions(ctx);
    const ms = members(ctx);
    if (ms.length < 2) return skip('a mesh of fewer than two servers has no "others"');
    const down = o.down
      ? ms.find((m) => m.name === o.down)
      : ms.find((m) => m.mock && m.mock.transport !== 'stdio');
    if (o.down && !down)
      return fail(
        `checks.mesh.down names '${o.down}', which is not a server of the mesh (${ms.map((m) => m.name).join(', ')})`,
      );
    if (!down?.mock) return skip('no mesh server is backed by a fleet mock the harness can stop');
    await down.mock.kill();
    ctx.defer(async () => {
      if (down.mock!.transport !== 'stdio') await down.mock!.restart();
    });
    // The stopped one must really be gone, or the check proves nothing.
    const gone = await down.client.ping({ timeout: 2_000 }).then(
      () => false,
      () => true,
    );
    const others = ms.filter((m) => m !== down);
    const problems = await eachMember(others, async (m) => {
      try {
        await m.client.ping({ timeout: ctx.timeoutMs, signal: ctx.signal });
        await m.client.listTools(undefined, { timeout: ctx.timeoutMs, signal: ctx.signal });
        return undefined;
      } catch (e) {
        return `${m.name} stopped answering: ${describeError(e)}`;
      }
    });
    const what = `${down.name} stopped${gone ? '' : ' (but it still answers ping)'}`;
    if (problems.length > 0) return fail(`${what}; ${problems.join('; ')}`);
    return pass(`${what}; ${others.map((m) => m.name).join(', ')} still answer ping and tools/list`);
  },
});
