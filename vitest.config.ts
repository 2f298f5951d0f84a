import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./src/compat/index.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time even on 2 cores (vitest's default there is one): the end-to-end and
    // integration files spend much of their time waiting on sockets and child processes.
    // Every wait in the suite is for an event, so the extra load changes durations, not results.
    maxWorkers: 2
  }
})
