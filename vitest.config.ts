import { defineConfig } from 'vitest/config';

/**
 * Two groups. Most tests start real servers and child processes and run two
 * files at a time (a 2-core machine). Files named `*.timing.test.ts` assert
 * sub-millisecond measurement truths, so they run afterwards, one at a time,
 * on a machine the other tests no longer load.
 */
const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.timing.test.ts', 'test/negative/defect-table.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          // Every reference-gateway defect against whole suites: one file, four gateways at a time,
          // run alone after the others so the machine is not shared with them.
          name: 'defect-table',
          include: ['test/negative/defect-table.test.ts'],
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'timing',
          include: ['test/**/*.timing.test.ts'],
          maxWorkers: 1,
          fileParallelism: false,
          // A sub-millisecond claim on a shared machine: one unlucky scheduling burst is not a defect.
          retry: 2,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
