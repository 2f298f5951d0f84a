/**
 * Raft's safety properties over many random schedules (see `schedule.ts`): each seed is a
 * deterministic run of 3–5 members under faults, checked as it goes, then a fault-free tail
 * that must elect a leader and commit. A failure names its seed and shows the end of its trace;
 * replay one with P2PCHAT_RAFT_SEED=<seed> (and P2PCHAT_RAFT_TRACE=1 to print the whole trace).
 */
import { describe, expect, it } from 'vitest'
import { runSchedule } from './schedule.js'

/**
 * Seeds 1…N. 5,000 in CI (10,000 took 20 s of each of CI's two passes, which must stay within 10
 * minutes on 2 cores); P2PCHAT_RAFT_SCHEDULES=100000 runs more.
 */
const SCHEDULES = Number(process.env.P2PCHAT_RAFT_SCHEDULES ?? 5_000)
const TRACE_TAIL = 120
/** A broken core fails many seeds, each slowly (its tail runs to the liveness bound): stop early. */
const MAX_FAILURES = 3

/** Replays `seed` with tracing; returns the error's message and the trace's tail. */
function explain (seed: number): string {
  const lines: string[] = []
  let error = 'it passed when replayed (nondeterminism in the harness?)'
  try { runSchedule(seed, line => lines.push(line)) } catch (err) { error = `${(err as Error).name}: ${(err as Error).message}` }
  if (process.env.P2PCHAT_RAFT_TRACE === '1') console.log(lines.join('\n'))
  return `seed ${seed}: ${error}\n--- last ${TRACE_TAIL} trace lines (virtual ms, event) ---\n${lines.slice(-TRACE_TAIL).join('\n')}`
}

describe('Raft safety under random schedules', () => {
  const only = process.env.P2PCHAT_RAFT_SEED
  it(only === undefined ? `${SCHEDULES} seeded schedules keep every safety property and recover when healed` : `seed ${only}`, () => {
    const seeds = only === undefined ? Array.from({ length: SCHEDULES }, (_, i) => i + 1) : [Number(only)]
    const failed: number[] = []
    let virtualMs = 0
    let terms = 0
    let commits = 0
    // The core throws coded errors (NOT_LEADER, CHANGE_PENDING) as part of normal schedules;
    // their stack traces are a large share of the run time, and a failure is replayed anyway.
    const stackTraceLimit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      for (const seed of seeds) {
        try {
          const r = runSchedule(seed)
          virtualMs += r.virtualMs
          terms += r.terms
          commits += r.commitIndex
        } catch {
          failed.push(seed)
          if (failed.length >= MAX_FAILURES) break
        }
      }
    } finally {
      Error.stackTraceLimit = stackTraceLimit
    }
    if (failed.length > 0) {
      const ran = failed[failed.length - 1] - seeds[0] + 1
      expect.fail(`${failed.length} of the first ${ran} schedules failed (seeds ${failed.join(', ')}; stopped at ${MAX_FAILURES})\n${explain(failed[0])}`)
    }
    // The schedules must actually exercise elections and commits, not idle.
    expect(terms / seeds.length).toBeGreaterThan(1)
    expect(commits / seeds.length).toBeGreaterThan(3)
    expect(virtualMs).toBeGreaterThan(0)
  })
})
