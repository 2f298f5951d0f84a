/**
 * A private room through the real CLI: one process makes it (`/create`), a second starts in it
 * with `--join <invite>`, a third pastes the invite into `/join`; all three read each other, and
 * a restart of the second finds the room again by name (`--join team`: the key was kept).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { freePort, killAll, spawnCli, tempDataDir, type CliProcess } from '../support/cli.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

type Event = Record<string, unknown> & { type: string }
const events = (p: CliProcess): Event[] => p.stdout.flatMap(l => { try { return [JSON.parse(l) as Event] } catch { return [] } })
const said = (p: CliProcess, text: string): boolean => events(p).some(e => e.type === 'message' && e.text === text && e.own === false)

describe('private rooms through the CLI', () => {
  it('/create, --join <invite> and a pasted /join <invite> meet in the room; a restart rejoins by name', async () => {
    const port = await freePort()
    const start = (nick: string, args: string[], dataDir = tempDataDir()): CliProcess => {
      const p = spawnCli(['--json', ...args], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick, P2PCHAT_DATA_DIR: dataDir })
      procs.push(p)
      return p
    }
    const ann = start('ann', ['--topic', 'somewhere'])
    ann.type('/create team')
    await ann.waitForLine(() => events(ann).some(e => e.type === 'invite'), "ann's invite")
    const invite = String(events(ann).find(e => e.type === 'invite')?.invite)
    expect(invite).toMatch(/^p2pchat:room\/team#[A-Za-z0-9_-]{43}$/)

    const benDir = tempDataDir()
    const ben = start('ben', ['--join', invite], benDir)
    const cat = start('cat', ['--topic', 'elsewhere'])
    cat.type(`/join ${invite}`)
    await cat.waitForLine(() => events(cat).some(e => e.type === 'room' && e.name === 'team' && e.private === true), 'cat in the private room')
    await ann.waitForLine(() => events(ann).filter(e => e.type === 'peer-join').length >= 2, 'ben and cat joining ann', 30_000)

    ann.type('the plan stays here')
    for (const p of [ben, cat]) await p.waitForLine(() => said(p, 'the plan stays here'), `the line at ${p === ben ? 'ben' : 'cat'}`)
    cat.type('agreed')
    for (const p of [ann, ben]) await p.waitForLine(() => said(p, 'agreed'), 'the reply')

    // Ben restarts with the room's name only: his profile kept the key.
    ben.type('/quit')
    expect(await ben.exited).toBe(0)
    const back = start('ben', ['--join', 'team'], benDir)
    ann.type('welcome back')
    await back.waitForLine(() => said(back, 'welcome back'), 'the line at ben after his restart', 30_000)
  }, 90_000)
})
