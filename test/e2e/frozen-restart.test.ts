/**
 * go-libp2p-pubsub #133 with real processes: a peer is frozen (SIGSTOP) with its connection
 * still open, a new process starts with the same key, and only later is the frozen one killed.
 * Messages must flow both ways with the new process while the old connection lingers, and
 * after it dies.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { freePort, killAll, spawnCli, tempDataDir, type CliProcess } from '../support/cli.js'

let procs: CliProcess[] = []
afterEach(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGCONT')
  await killAll(procs)
  procs = []
})

type Event = Record<string, unknown>
const texts = (p: CliProcess): string[] => p.stdout.flatMap(l => { try { return [JSON.parse(l) as Event] } catch { return [] } })
  .filter(e => e.type === 'message' && e.own !== true).map(e => String(e.text))

describe('a peer restarting while its old process is frozen', () => {
  it('chats both ways with the new process before and after the frozen one dies, and nothing is lost', async () => {
    const port = await freePort()
    const keyFile = join(tempDataDir(), 'key')
    writeFileSync(keyFile, privateKeyToProtobuf(await generateKeyPair('Ed25519')), { mode: 0o600 })
    const chat = (nick: string, extra: string[] = []): CliProcess => {
      const p = spawnCli(['--topic', 'frozen', '--json', ...extra], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick })
      procs.push(p)
      return p
    }
    const ann = chat('ann')
    ann.type('/id')
    await ann.waitForLine(l => l.includes('"type":"id"'), 'ann ready')
    const old = chat('xold', ['--key', keyFile])
    await ann.waitForLine(l => l.includes('"peer-join"'), 'the old process joining')
    old.type('from the old process')
    await ann.waitForLine(l => l.includes('from the old process'), 'the old process reaching ann', 20_000)

    old.child.kill('SIGSTOP')
    const fresh = chat('xnew', ['--key', keyFile])
    fresh.type('/id')
    await fresh.waitForLine(l => l.includes('"type":"id"'), 'the new process ready')
    fresh.type('new to ann')
    await ann.waitForLine(l => l.includes('new to ann'), 'the new process reaching ann over the lingering connection', 20_000)
    ann.type('ann to new')
    await fresh.waitForLine(l => l.includes('ann to new'), 'ann reaching the new process over the lingering connection', 20_000)

    old.child.kill('SIGKILL')
    await old.exited
    ann.type('ann after the old died')
    await fresh.waitForLine(l => l.includes('ann after the old died'), 'ann reaching the new process after the old died', 20_000)
    fresh.type('new after the old died')
    await ann.waitForLine(l => l.includes('new after the old died'), 'the new process reaching ann after the old died', 20_000)

    // Exactly once each, and ann's line from before the freeze reached nobody twice.
    expect(texts(ann).filter(t => t === 'new to ann')).toHaveLength(1)
    expect(texts(fresh).filter(t => t === 'ann to new')).toHaveLength(1)
    ann.type('/peers')
    const peers = JSON.parse(await ann.waitForLine(l => l.includes('"type":"peers"'), '/peers')) as { peers: Array<{ inTopic: boolean, noStream?: boolean }> }
    expect(peers.peers.filter(p => p.noStream === true)).toEqual([])
  }, 120_000)
})
