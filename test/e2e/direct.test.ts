/**
 * Direct messages through the real CLI: `/msg` from one process to another (✓ when it arrived),
 * and a message to a peer that is not running yet, which arrives once it starts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { freePort, killAll, spawnCli, tempDataDir, type CliProcess } from '../support/cli.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

type Event = Record<string, unknown> & { type: string }
const events = (p: CliProcess): Event[] => p.stdout.flatMap(l => { try { return [JSON.parse(l) as Event] } catch { return [] } })

describe('direct messages through the CLI', () => {
  it('/msg reaches the other process and turns ✓; a message to a peer not yet running arrives once it starts', async () => {
    const port = await freePort()
    const start = (nick: string, args: string[] = [], dataDir = tempDataDir()): CliProcess => {
      const p = spawnCli(['--topic', 'dm-e2e', ...args], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick, P2PCHAT_DATA_DIR: dataDir })
      procs.push(p)
      return p
    }
    const ann = start('ann', ['--json'])
    const benDir = tempDataDir()
    const ben = start('ben', ['--json'], benDir)
    await ann.waitForLine(() => events(ann).some(e => e.type === 'peer-join' && e.nick === 'ben'), 'ben joining')
    ann.type('/msg ben hello in private')
    await ben.waitForLine(() => events(ben).some(e => e.type === 'dm' && e.text === 'hello in private' && e.nick === 'ann' && e.own === false), 'the dm at ben')
    const first = events(ann).find(e => e.type === 'dm' && e.text === 'hello in private' && e.own === true)
    expect(first).toMatchObject({ state: 'pending' })
    await ann.waitForLine(() => events(ann).some(e => e.type === 'dm-state' && e.id === first?.id && e.state === 'delivered'), 'ann\'s line delivered (✓)')
    ben.type('/id')
    await ben.waitForLine(() => events(ben).some(e => e.type === 'id'), 'ben\'s id')
    const benId = String(events(ben).find(e => e.type === 'id')?.peerId)
    expect(benId).toMatch(/^12D3KooW/)
    // Ben leaves; ann writes to him; he comes back (same profile, so the same peer id) and gets it.
    ben.type('/quit')
    expect(await ben.exited).toBe(0)
    await ann.waitForLine(() => events(ann).some(e => e.type === 'peer-leave'), 'ben leaving')
    ann.type(`/msg ${benId} while you were away`)
    await ann.waitForLine(() => events(ann).some(e => e.type === 'dm' && e.text === 'while you were away' && e.state === 'pending'), 'ann\'s pending line')
    const waiting = events(ann).find(e => e.type === 'dm' && e.text === 'while you were away')
    const back = start('ben', ['--json'], benDir)
    await back.waitForLine(() => events(back).some(e => e.type === 'dm' && e.text === 'while you were away'), 'the waiting dm at ben after his restart', 30_000)
    await ann.waitForLine(() => events(ann).some(e => e.type === 'dm-state' && e.id === waiting?.id && e.state === 'delivered'), 'ann\'s waiting line delivered (✓)', 30_000)
  }, 90_000)
})
