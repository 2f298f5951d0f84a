import { afterEach, describe, expect, it } from 'vitest'
import { freePort, killAll, spawnCli, tempDataDir, type CliProcess } from '../support/cli.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

/** One user's data dir for the whole test: the terminals share it, like terminals of one person. */
let dataDir = tempDataDir()

/** Starts `p2pchat --topic <topic>` with only an isolated local port and data dir (through the env) and a nick. */
function chat (topic: string, localPort: number, nick: string): CliProcess {
  const p = spawnCli(['--topic', topic], { P2PCHAT_LOCAL_PORT: String(localPort), P2PCHAT_NICK: nick, P2PCHAT_DATA_DIR: dataDir })
  procs.push(p)
  return p
}

const said = (nick: string, text: string) => (line: string): boolean => line.includes(`<${nick}> ${text}`)

describe('local terminals with only --topic', () => {
  it('three processes each receive the other two; after the first exits, a fourth still reaches the rest', async () => {
    dataDir = tempDataDir()
    const port = await freePort()
    const [alice, bob, carol] = [chat('x', port, 'alice'), chat('x', port, 'bob'), chat('x', port, 'carol')]
    // Each sees the two others join the room.
    for (const p of [alice, bob, carol]) {
      await p.waitForLine(l => (p.stdout.filter(x => /joined/.test(x)).length >= 2), 'two joins')
    }
    alice.type('hi from alice')
    bob.type('hi from bob')
    carol.type('hi from carol')
    for (const [p, others] of [[alice, ['bob', 'carol']], [bob, ['alice', 'carol']], [carol, ['alice', 'bob']]] as const) {
      for (const nick of others) await p.waitForLine(said(nick, `hi from ${nick}`), `${nick}'s line`)
    }
    // Plain mode: no colour codes, one event per line.
    expect(alice.stdout.join('\n')).not.toMatch(/\u001b\[/)

    alice.type('/quit')
    expect(await alice.exited).toBe(0)

    const dave = chat('x', port, 'dave')
    await dave.waitForLine(() => dave.stdout.filter(x => /joined/.test(x)).length >= 2, 'dave seeing bob and carol', 20_000)
    dave.type('hi from dave')
    await bob.waitForLine(said('dave', 'hi from dave'), 'dave at bob', 20_000)
    await carol.waitForLine(said('dave', 'hi from dave'), 'dave at carol', 20_000)
    bob.type('welcome dave')
    await dave.waitForLine(said('bob', 'welcome dave'), 'bob at dave')
  })

  it('--json prints one parseable NDJSON event per line', async () => {
    const port = await freePort()
    const a = spawnCli(['--topic', 'json', '--json'], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: 'ann' })
    const b = spawnCli(['--topic', 'json', '--json'], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: 'ben' })
    procs.push(a, b)
    await a.waitForLine(l => l.includes('"peer-join"'), 'peer-join')
    await b.waitForLine(l => l.includes('"peer-join"'), 'peer-join')
    b.type('json hello')
    const line = await a.waitForLine(l => l.includes('json hello'), 'the message')
    const event = JSON.parse(line)
    expect(event).toMatchObject({ type: 'message', nick: 'ben', text: 'json hello', own: false, action: false })
    expect(event.id).toMatch(/^[0-9a-f]{32}$/)
    expect(event.from).toMatch(/^12D3Koo/)
    expect(typeof event.lamport).toBe('number')
    expect(typeof event.ts).toBe('number')
    a.type('/id')
    await a.waitForLine(l => l.includes('"type":"id"'), 'id event')
    for (const l of [...a.stdout, ...b.stdout]) expect(() => JSON.parse(l)).not.toThrow()
  })
})
