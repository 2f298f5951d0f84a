import { afterEach, describe, expect, it } from 'vitest'
import { freePort, killAll, spawnCli, type CliProcess } from '../support/cli.js'
import { waitFor } from '../support/wait.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

/** The presence period for this test; a silent peer leaves after 3 periods (the documented multiple). */
const PERIOD_MS = 2000

/** The latest /who roster a --json process printed (a loaded machine may take seconds to answer). */
async function roster (p: CliProcess): Promise<string[]> {
  const before = p.stdout.length
  p.type('/who')
  await waitFor(() => p.stdout.slice(before).some(l => l.includes('"type":"who"')), '/who answer', 30_000)
  const line = p.stdout.slice(before).find(l => l.includes('"type":"who"')) as string
  return (JSON.parse(line).roster as Array<{ nick: string }>).map(e => e.nick).sort()
}

describe('presence across processes', () => {
  it('three processes killed with SIGKILL at once leave every roster', async () => {
    const port = await freePort()
    const nicks = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5']
    for (const nick of nicks) {
      procs.push(spawnCli(['--topic', 'kill', '--json', '--presence', `basePeriodMs=${PERIOD_MS}`], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick }))
    }
    // Six processes starting at once on a busy 2-core machine: each is ready when it answers /id.
    for (const p of procs) {
      p.type('/id')
      await p.waitForLine(l => l.includes('"type":"id"'), 'the process ready', 60_000)
    }
    for (const p of procs) {
      await waitFor(async () => (await roster(p)).length === 6, 'six in every roster', 60_000, 200)
    }
    const survivors = procs.slice(0, 3)
    for (const victim of procs.slice(3)) victim.child.kill('SIGKILL')
    // How fast they leave is asserted with injected time in test/unit/sim/ and measured by
    // `npm run bench -- truth`; here, that real processes drop them at all, with a deadline far
    // above what a loaded machine may stretch.
    for (const p of survivors) {
      await waitFor(async () => (await roster(p)).join() === ['k0', 'k1', 'k2'].join(), 'the killed three gone', 30_000, 200)
    }
    for (const p of survivors) expect(await roster(p)).toEqual(['k0', 'k1', 'k2'])
  }, 240_000)

  it('a process killed with SIGKILL leaves every roster once a peer connected to it cannot redial it (it tells the others), long before its records would expire', async () => {
    const port = await freePort()
    // A 10-minute period: expiry would take 30 minutes, so only the lost connection and the
    // failed redial can remove the killed one within this test.
    const nicks = ['l0', 'l1', 'l2']
    for (const nick of nicks) {
      procs.push(spawnCli(['--topic', 'lost', '--json', '--presence', 'basePeriodMs=600000'], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick }))
    }
    for (const p of procs) await waitFor(async () => (await roster(p)).length === 3, 'three in every roster', 60_000, 200)
    procs[2].child.kill('SIGKILL')
    for (const p of procs.slice(0, 2)) {
      await waitFor(() => p.stdout.some(l => l.includes('"type":"roster"') && /"left":\[\{[^\]]*"nick":"l2"/.test(l)), 'the killed one leaving the roster', 60_000)
      expect(await roster(p)).toEqual(['l0', 'l1'])
    }
  }, 120_000)

  it('a process paused for 2 s (SIGSTOP, then SIGCONT) stays in every roster: a suspicion of it is refuted', async () => {
    const port = await freePort()
    const nicks = ['s0', 's1', 's2']
    for (const nick of nicks) procs.push(spawnCli(['--topic', 'pause', '--json'], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick }))
    for (const p of procs) await waitFor(async () => (await roster(p)).length === 3, 'three in every roster', 60_000, 200)
    const [victim, ...survivors] = [procs[2], procs[0], procs[1]]
    const marks = survivors.map(p => p.stdout.length)
    victim.child.kill('SIGSTOP')
    await new Promise(resolve => setTimeout(resolve, 2_000)) // the pause under test
    victim.child.kill('SIGCONT')
    // Every suspicion of it ends (refuted by a newer record, or run out); then none may have removed it.
    const suspected = async (p: CliProcess): Promise<number> => {
      const before = p.stdout.length
      p.type('/status')
      await waitFor(() => p.stdout.slice(before).some(l => l.includes('"type":"status"')), '/status answer', 30_000)
      const line = p.stdout.slice(before).find(l => l.includes('"type":"status"')) as string
      return (JSON.parse(line).probes as { suspected: number }).suspected
    }
    for (const p of survivors) await waitFor(async () => await suspected(p) === 0, 'no suspicion left', 60_000, 250)
    survivors.forEach((p, i) => {
      expect(p.stdout.slice(marks[i]).filter(l => l.includes('"type":"roster"') && /"left":\[\{[^\]]*"nick":"s2"/.test(l))).toEqual([])
    })
    for (const p of survivors) expect(await roster(p)).toEqual(nicks)
  }, 120_000)
})
