import { textOf } from '../../runner/outcome.js';
import { check, fail, pass, skip } from '../types.js';
import { describeAnswer } from './calls.js';
import { chainOptions, isVerdict } from './options.js';

/** Concurrent composite calls never see each other's downstream results. */
export const concurrentIsolated = check({
  id: 'chain.concurrent-isolated',
  title: 'concurrent composite calls with distinct inputs each get their own results',
  suite: 'chain',
  specRef:
    'practice: composite tools (one downstream session per upstream request; no shared state between callers)',
  severity: 'must',
  expected:
    'composite calls made at the same time with distinct inputs each answer with results for their own input, never another caller’s',
  async run(ctx) {
    const o = chainOptions(ctx);
    if (isVerdict(o)) return o;
    if (!o.isolation)
      return skip('checks.chain.isolation is not set: no argument to vary between concurrent calls');
    if (!ctx.session) return skip('the chain has no single endpoint to call');
    const iso = o.isolation;
    const tool = (iso.tool ?? o.pipeline?.tool) as string;
    const base = iso.args ?? (iso.tool === undefined ? o.pipeline?.args : undefined) ?? {};
    // Every caller's downstream calls take a while, so the calls really are in flight together.
    const servers = new Set(
      [...(o.pipeline?.steps ?? []), ...(o.fanout?.branches ?? [])].map((s) => s.server),
    );
    for (const s of servers)
      if (ctx.mock(s).transport !== 'stdio')
        await ctx
          .mock(s)
          .addFault({ type: 'latency', distribution: { kind: 'uniform', minMs: 40, maxMs: 120 } });
    const answers = await Promise.all(
      iso.values.map((v) => ctx.session!.call(tool, { ...base, [iso.key]: v })),
    );
    const marks = iso.values.map(String);
    const problems: string[] = [];
    answers.forEach((r, i) => {
      const mine = marks[i]!;
      if (r.outcome !== 'ok') {
        problems.push(`${iso.key}=${mine}: ${describeAnswer(r)}`);
        return;
      }
      const all = `${textOf(r.result)}\n${JSON.stringify(r.result?.structuredContent ?? null)}`;
      const foreign = marks.filter((m, j) => j !== i && all.includes(m));
      if (foreign.length > 0)
        problems.push(
          `${iso.key}=${mine} got results for ${foreign.map((m) => `${iso.key}=${m}`).join(', ')}`,
        );
      else if (!all.includes(mine))
        problems.push(`${iso.key}=${mine} got an answer that does not mention ${mine}`);
    });
    const evidence = { answers: answers.map((r) => describeAnswer(r)) };
    if (problems.length > 0)
      return fail(`${iso.values.length} concurrent ${tool} calls: ${problems.join('; ')}`, evidence);
    return pass(
      `${iso.values.length} concurrent ${tool} calls each got results for their own ${iso.key}`,
      evidence,
    );
  },
});
