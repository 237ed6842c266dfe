import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../../harness/report/registry.js';
import { fixtureReport } from '../../unit/report/fixture.js';
import { ensurePrometheus } from '../dashboards/prom-tools.js';

/** `--format prom`: a textfile for node_exporter, in the Prometheus text format promtool accepts. */
describe('prom report (textfile output)', () => {
  beforeAll(() => ensurePrometheus(), 300_000);

  it('writes check status and step durations that promtool accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-harness-prom-'));
    try {
      const report = fixtureReport();
      const [file] = await writeReports(report, { dir, formats: ['prom'] });
      expect(file).toBe(join(dir, 'mcp-harness.prom'));
      const text = await readFile(file as string, 'utf8');
      const failing = report.checks.find((c) => c.status === 'fail');
      expect(failing).toBeDefined();
      expect(text).toContain(
        `mcp_harness_check_status{suite="${failing?.suite}",check="${failing?.id}",status="fail"} 1`,
      );
      expect(text).toMatch(/^mcp_harness_step_duration_seconds_count\{.*\} \d+$/m);
      expect(text).not.toContain('# EOF');
      const withOverhead = report.scenarios
        .flatMap((sc) => sc.steps)
        .filter((st) => st.overheadUs !== undefined);
      expect(withOverhead.length).toBeGreaterThan(0);
      expect(text).toMatch(/^mcp_harness_overhead_seconds_count\{.*\} \d+$/m);
      // promtool lints the exposition and fails on a malformed one (the textfile collector would drop it).
      execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
