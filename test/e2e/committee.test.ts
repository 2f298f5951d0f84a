/**
 * A registry room's committee through the real CLI: a trusted third (`tara`, the registry's only
 * trusted peer, so the committee is her alone) sets the title and pins a line; `ann` sees both as
 * they happen, `ben` (kept apart until the end) learns both by catching up when he connects. Ben's
 * line, written while he was apart, reaches ann after the committee made the order final past it,
 * and is shown late.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { freePort, killAll, spawnCli, tempDataDir, type CliProcess } from '../support/cli.js'
import { waitFor } from '../support/wait.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

/** A checkpoint every second over lines at least half a second old, so the test sees several. */
const COMMITTEE = 'checkpointIntervalMs=1000,finalityLagMs=500'

type Event = Record<string, unknown> & { type: string }
const events = (p: CliProcess): Event[] => p.stdout.flatMap(l => { try { return [JSON.parse(l) as Event] } catch { return [] } })

async function nextEvent (p: CliProcess, what: string, match: (e: Event) => boolean, timeoutMs = 30_000): Promise<Event> {
  await waitFor(() => events(p).some(match), `${what}; stdout so far:\n${p.stdout.join('\n')}\nstderr:\n${p.stderr.join('\n')}`, timeoutMs)
  return events(p).find(match) as Event
}

describe('a registry room committee through the CLI', () => {
  it('two processes see the title and a pin by a trusted third; a line held back past a checkpoint is shown late', async () => {
    const dir = tempDataDir()
    const key = await generateKeyPair('Ed25519')
    const keyFile = join(dir, 'tara.key')
    writeFileSync(keyFile, privateKeyToProtobuf(key), { mode: 0o600 })
    const tara = peerIdFromPrivateKey(key).toString()
    const registry = join(dir, 'registry.yaml')
    writeFileSync(registry, `created: 1795263189\nrooms:\n  - name: gov\n    desc: governed\n    rendezvous: p2pchat-e2e/gov-${tara.slice(-8)}\n    trustedPeers:\n      - ${tara}\n`)
    const port = await freePort()
    const apart = await freePort()
    const start = (nick: string, localPort: number, extra: string[]): CliProcess => {
      const p = spawnCli(['--registry', registry, '--room', 'gov', '--committee', COMMITTEE, ...extra], { P2PCHAT_LOCAL_PORT: String(localPort), P2PCHAT_NICK: nick })
      procs.push(p)
      return p
    }
    const t = start('tara', port, ['--json', '--key', keyFile])
    const ann = start('ann', port, [])
    const ben = start('ben', apart, ['--json'])
    await ann.waitForLine(/tara.*joined/, 'tara joining ann')

    t.type('/title Welcome to gov')
    await ann.waitForLine(/title: Welcome to gov \(set by tara\)/, 'the title at ann')
    ann.type('pin me')
    const pinMe = await nextEvent(t, 'pin me at tara', e => e.type === 'message' && e.text === 'pin me')
    t.type('/pin ann')
    await ann.waitForLine(/tara pinned ann: pin me/, 'the pin at ann')

    // A checkpoint past ann's line: the next window starts after ann joined, so ann checks it.
    await nextEvent(t, 'a checkpoint past "pin me"', e => e.type === 'governance' && e.kind === 'final' && Number(e.lamport) >= Number(pinMe.lamport))
    ben.type('from the past')
    await nextEvent(ben, 'ben\'s own line, pending', e => e.type === 'message' && e.text === 'from the past' && e.own === true)
    t.type('after ben')
    const after = await nextEvent(t, 'tara\'s own line', e => e.type === 'message' && e.text === 'after ben')
    await ann.waitForLine(l => l.includes('<tara> after ben'), 'tara\'s line at ann')
    await nextEvent(t, 'a checkpoint past "after ben"', e => e.type === 'governance' && e.kind === 'final' && Number(e.lamport) >= Number(after.lamport))

    ann.type('/id')
    const addr = (await ann.waitForLine(/\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//, 'ann\'s address')).match(/\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\S+/)?.[0] as string
    ben.type(`/connect ${addr}`)
    const late = await ann.waitForLine(l => l.includes('<ben> from the past'), 'ben\'s line at ann', 30_000)
    expect(late).toMatch(/\(late/)
    // Ben catches up on what was decided while he was apart.
    await nextEvent(ben, 'the title at ben', e => e.type === 'governance' && e.kind === 'title' && e.text === 'Welcome to gov')
    await nextEvent(ben, 'the pin at ben', e => e.type === 'governance' && e.kind === 'pinned')
  }, 120_000)
})
