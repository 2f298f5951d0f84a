/**
 * `--procs 3` end to end: three real `p2pchat` processes (bin/p2pchat.js, which
 * loads dist/: build first) find each other on an isolated local port, and
 * every line typed into one is shown by the others.
 */
import { describe, expect, it } from 'vitest'
import { resolveSimConfig } from '../../../src/sim/config.js'
import { runSim, NO_PROGRESS } from '../../../src/sim/run.js'
import type { SimReport } from '../../../src/sim/report-types.js'

describe('sim --procs', () => {
  it('3 processes, 15 messages: 100 % delivery and the right counts', async () => {
    let r: SimReport | undefined
    let err = ''
    const code = await runSim(resolveSimConfig({ mode: 'procs', nodes: 3, messages: 15, rate: 10, warmupMs: 0, timeoutMs: 60_000 }),
      { out: () => {}, err: s => { err += s }, progress: NO_PROGRESS, onReport: x => { r = x } })
    expect(err).toBe('')
    expect(code).toBe(0)
    expect(r?.run).toMatchObject({ mode: 'procs', nodes: 3, processes: 3, converged: true })
    expect(r?.delivery).toMatchObject({ ratio: 1, expected: 30, delivered: 30, lost: 0, duplicatesToUi: 0, causalViolations: null })
    expect(r?.resources.rssBytes).toBeGreaterThan(0)
  })
})
