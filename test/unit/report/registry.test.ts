import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../../harness/errors.js';
import {
  REPORTER_NAMES,
  REPORTERS,
  resolveReporters,
  writeReports,
} from '../../../harness/report/registry.js';
import { RunReportSchema } from '../../../harness/schema/result.js';
import { fixtureReport } from './fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-harness-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reporter registry', () => {
  it('holds console, json, junit, md, html and prom, each named as its key', () => {
    expect(REPORTER_NAMES).toEqual(['console', 'json', 'junit', 'md', 'html', 'prom']);
    for (const [key, reporter] of Object.entries(REPORTERS)) expect(reporter.name).toBe(key);
  });

  it('writeReports creates the directory, writes each file format and returns the paths', async () => {
    const out = join(dir, 'nested', 'reports');
    const paths = await writeReports(fixtureReport(), { dir: out, formats: ['json', 'junit', 'md'] });
    expect(paths).toEqual([join(out, 'report.json'), join(out, 'junit.xml'), join(out, 'summary.md')]);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'report.json', 'summary.md']);
    const json = await readFile(join(out, 'report.json'), 'utf8');
    expect(RunReportSchema.parse(JSON.parse(json))).toEqual(fixtureReport());
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toMatch(/^<\?xml/);
  });

  it('accepts comma lists, ignores duplicates, and sends the console to the stream without colour off a TTY', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const paths = await writeReports(fixtureReport(), { dir, formats: ['console,json', 'json'], stream });
    expect(paths).toEqual([join(dir, 'report.json')]);
    expect(text).not.toContain('\u001b[');
    expect(text.endsWith('7 passed, 5 failed, 1 warned, 2 skipped\n')).toBe(true);
  });

  it('rejects an unknown format with INVALID_ARGS naming the valid ones, before writing anything', async () => {
    const out = join(dir, 'never');
    const error = await writeReports(fixtureReport(), { dir: out, formats: ['json', 'xml', 'pdf'] }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('INVALID_ARGS');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'unknown report formats "xml", "pdf" (valid: console, json, junit, md, html, prom)',
    );
    expect(error.problems).toHaveLength(2);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('does not resolve prototype keys as formats', () => {
    expect(() => resolveReporters(['toString'])).toThrow(HarnessError);
  });
});
