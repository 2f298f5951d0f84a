import { afterEach, describe, expect, it } from 'vitest'
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, killAll, spawnCli, tempDataDir, type CliProcess } from '../support/cli.js'
import { waitFor } from '../support/wait.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

type Event = Record<string, unknown>
const events = (p: CliProcess): Event[] => p.stdout.flatMap(l => { try { return [JSON.parse(l) as Event] } catch { return [] } })
const messages = (p: CliProcess): Event[] => events(p).filter(e => e.type === 'message')
const historyMessages = (p: CliProcess): Event[] => events(p).filter(e => e.type === 'history').flatMap(e => e.messages as Event[])

function chat (dataDir: string, port: number, nick: string, extra: string[] = [], env: Record<string, string> = {}): CliProcess {
  const p = spawnCli(['--topic', 'persist', '--json', '--profile', nick, ...extra], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick, P2PCHAT_DATA_DIR: dataDir, ...env })
  procs.push(p)
  return p
}

async function peerIdOf (p: CliProcess): Promise<string> {
  p.type('/id')
  const line = await p.waitForLine(l => l.includes('"type":"id"'), '/id')
  return JSON.parse(line).peerId as string
}

describe('persistence across restarts', () => {
  it('a restart with the same data dir keeps the PeerId, shows the history, and the Lamport clock keeps rising', async () => {
    const dataDir = tempDataDir()
    const port = await freePort()
    const first = chat(dataDir, port, 'ann')
    const id = await peerIdOf(first)
    first.type('before the restart')
    await first.waitForLine(l => l.includes('before the restart'), 'own line')
    const before = messages(first).find(e => e.text === 'before the restart') as Event
    first.type('/quit')
    expect(await first.exited).toBe(0)

    const again = chat(dataDir, port, 'ann')
    expect(await peerIdOf(again)).toBe(id)
    expect(historyMessages(again).map(e => e.text)).toContain('before the restart')
    again.type('after the restart')
    await again.waitForLine(l => l.includes('after the restart'), 'new own line')
    const after = messages(again).find(e => e.text === 'after the restart') as Event
    expect(after.lamport as number).toBeGreaterThan(before.lamport as number)
  })

  it('lines typed right before a SIGKILL reach the other peer exactly once after the restart', async () => {
    const dataDir = tempDataDir()
    const port = await freePort()
    const logFile = join(dataDir, 'ann.log')
    const ann = chat(dataDir, port, 'ann', ['--log-file', logFile])
    for (const text of ['one', 'two', 'three']) ann.type(text)
    // the three lines are durable (written before they could be published), then the crash
    await waitFor(() => existsSync(logFile) && (readFileSync(logFile, 'utf8').match(/stored own message/g) ?? []).length === 3, 'three durable writes')
    ann.child.kill('SIGKILL')
    await ann.exited

    const ben = chat(dataDir, port, 'ben')
    const annAgain = chat(dataDir, port, 'ann')
    await waitFor(() => ['one', 'two', 'three'].every(t => messages(ben).some(e => e.text === t)), 'the lines at ben', 20_000)
    // No resend can follow once the restarted ann has all three confirmed (ben's reply names
    // them); a later line of hers reaching ben is the barrier behind any copy still in flight.
    const ids = messages(ann).filter(e => e.own === true).map(e => e.id)
    expect(ids).toHaveLength(3)
    ben.type('got them')
    const confirmed = (): unknown[] => events(annAgain).filter(e => e.type === 'state' && e.state === 'confirmed').map(e => e.id)
    await waitFor(() => ids.every(id => confirmed().includes(id)), 'ann seeing all three confirmed', 20_000)
    annAgain.type('barrier')
    await ben.waitForLine(l => l.includes('"barrier"'), 'the barrier line at ben', 20_000)
    for (const text of ['one', 'two', 'three']) expect(messages(ben).filter(e => e.text === text)).toHaveLength(1)
    expect(annAgain.child.exitCode).toBe(null)
  })

  it('a peer that restarts while the others talk catches up on everything it missed; messages flow both ways again', async () => {
    const dataDir = tempDataDir()
    const port = await freePort()
    const ann = chat(dataDir, port, 'ann')
    const ben = chat(dataDir, port, 'ben', ['--log-file', join(dataDir, 'ben.log')])
    await ann.waitForLine(l => l.includes('"peer-join"'), 'ben joins')
    ann.type('hello ben')
    await ben.waitForLine(l => l.includes('hello ben'), 'hello at ben')
    const annId = await peerIdOf(ann)
    ann.type('/quit')
    await ann.exited
    for (const text of ['missed 1', 'missed 2', 'missed 3']) ben.type(text)
    await waitFor(() => messages(ben).filter(e => String(e.text).startsWith('missed')).length === 3, 'ben typed')

    const again = chat(dataDir, port, 'ann', ['--log-file', join(dataDir, 'ann2.log')])
    expect(await peerIdOf(again)).toBe(annId)
    try {
      await waitFor(() => ['missed 1', 'missed 2', 'missed 3'].every(t => messages(again).some(e => e.text === t)), 'ann catching up', 20_000)
    } catch (err) {
      again.type('/peers'); ben.type('/peers'); again.type('/status'); ben.type('/status')
      await new Promise(resolve => setTimeout(resolve, 2500))
      console.log('BEN LOG\n' + readFileSync(join(dataDir, 'ben.log'), 'utf8') + '\nANN2 LOG\n' + readFileSync(join(dataDir, 'ann2.log'), 'utf8') + '\nANN2 OUT\n' + again.stdout.join('\n') + '\nBEN OUT\n' + ben.stdout.join('\n'))
      throw err
    }
    again.type('back again')
    await ben.waitForLine(l => l.includes('back again'), 'ann to ben after the restart', 20_000)
    ben.type('welcome back')
    await again.waitForLine(l => l.includes('welcome back'), 'ben to ann after the restart', 20_000)
  })

  it('a second process on the same profile is refused with one clear line', async () => {
    const dataDir = tempDataDir()
    const port = await freePort()
    const first = chat(dataDir, port, 'ann')
    await peerIdOf(first)
    const second = chat(dataDir, port, 'ann')
    expect(await second.exited).toBe(1)
    const err = second.stderr.filter(l => l.length > 0)
    expect(err).toHaveLength(1)
    expect(err[0]).toMatch(/profile "ann" is in use by another p2pchat process/)
  })

  it('a key file readable by others is refused; a corrupted store gives a clear error and --repair recovers', async () => {
    const dataDir = tempDataDir()
    const port = await freePort()
    const first = chat(dataDir, port, 'ann')
    const id = await peerIdOf(first)
    first.type('/quit')
    await first.exited

    const keyPath = join(dataDir, 'ann', 'key')
    chmodSync(keyPath, 0o644)
    const insecure = chat(dataDir, port, 'ann')
    expect(await insecure.exited).toBe(1)
    expect(insecure.stderr.join('\n')).toMatch(/accessible by group or others.*chmod 600/)
    chmodSync(keyPath, 0o600)

    const storeDir = join(dataDir, 'ann', 'store')
    for (const file of readdirSync(storeDir)) if (/^(MANIFEST|CURRENT)/.test(file)) writeFileSync(join(storeDir, file), 'garbage, not a LevelDB file\n')
    const broken = chat(dataDir, port, 'ann')
    expect(await broken.exited).toBe(1)
    const line = broken.stderr.filter(l => l.length > 0)
    expect(line).toHaveLength(1)
    expect(line[0]).toMatch(/damaged.*--repair/)

    const repaired = chat(dataDir, port, 'ann', ['--repair'])
    expect(await peerIdOf(repaired)).toBe(id)
    expect(repaired.stderr.join('\n')).toMatch(/moved the damaged store/)
    expect(readdirSync(join(dataDir, 'ann')).some(f => f.startsWith('store.corrupt-'))).toBe(true)
  })
})
