import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./src/compat/index.ts'],
    // Deadlines, not sleeps: every wait ends at its event. They are generous because a loaded
    // 2-core machine (two test files at a time plus other work) may take seconds per process start.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on 2 cores (vitest's default there is one): the end-to-end and
    // integration files spend much of their time waiting on sockets and child processes.
    // Every wait in the suite is for an event, so the extra load changes durations, not results.
    maxWorkers: 2
  }
})
