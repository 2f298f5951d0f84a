import { afterEach, describe, expect, it } from 'vitest'
import { freePort, killAll, spawnCli, type CliProcess } from '../support/cli.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

describe('bad input gets one clear line and no crash', () => {
  it('/connect garbage, /connect to a dead port, and an unknown command', async () => {
    const port = await freePort()
    const deadPort = await freePort()
    const p = spawnCli(['--topic', 'bad'], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: 'eve' })
    procs.push(p)
    p.type('/connect garbage')
    const garbage = await p.waitForLine(/invalid multiaddr "garbage"/, 'garbage multiaddr error')
    expect(garbage).not.toMatch(/at .*\.js:\d+/)

    p.type(`/connect /ip4/127.0.0.1/tcp/${deadPort}`)
    await p.waitForLine(/cannot connect to .*refused/, 'refused error')

    p.type('/peer')
    await p.waitForLine(/unknown command.*\/peers/, 'unknown command hint')

    // Still alive and responsive.
    p.type('/id')
    await p.waitForLine(/12D3Koo/, '/id answer')
    expect(p.child.exitCode).toBe(null)
    expect(p.stderr.join('\n')).not.toMatch(/Error:|at .*\.js/)
    p.type('/quit')
    expect(await p.exited).toBe(0)
  })

  it('--listen garbage exits 2 with one line on stderr', async () => {
    const p = spawnCli(['--topic', 'bad', '--listen', 'garbage'])
    procs.push(p)
    expect(await p.exited).toBe(2)
    const err = p.stderr.filter(l => l.length > 0)
    expect(err).toHaveLength(1)
    expect(err[0]).toMatch(/invalid multiaddr "garbage"/)
  })

  it('a port out of range exits 2 with one line', async () => {
    const p = spawnCli(['--local-port', '99999'])
    procs.push(p)
    expect(await p.exited).toBe(2)
    expect(p.stderr.filter(l => l.length > 0)).toHaveLength(1)
  })

  it('a boolean env var outside 1/true/yes/on/0/false/no/off exits 2 with one line, before any network', async () => {
    const p = spawnCli(['--topic', 'bad'], { P2PCHAT_MDNS: 'maybe' })
    procs.push(p)
    expect(await p.exited).toBe(2)
    expect(p.stderr.filter(l => l.length > 0)).toEqual(['p2pchat: P2PCHAT_MDNS must be one of 1, true, yes, on, 0, false, no, off, not "maybe"'])
    expect(p.stdout.filter(l => l.length > 0)).toEqual([])
  })

  it('--listen on an address this machine lacks exits 1 with one sentence naming it', async () => {
    const p = spawnCli(['--topic', 'bad', '--listen', '/ip4/198.51.100.7/tcp/0', '--local-port', '0'])
    procs.push(p)
    p.child.stdin.end()
    expect(await p.exited).toBe(1)
    expect(p.stderr.filter(l => l.length > 0)).toEqual(['p2pchat: cannot listen on /ip4/198.51.100.7/tcp/0: this machine has no such address (check --listen; the default is /ip4/127.0.0.1/tcp/0)'])
  })

  it('/connect to a peer whose id differs from the address, and /nick with a space: one sentence each, in our words', async () => {
    const port = await freePort()
    const listen = await freePort()
    const target = spawnCli(['--topic', 'other', '--listen', `/ip4/127.0.0.1/tcp/${listen}`, '--local-port', '0'], { P2PCHAT_NICK: 'target' })
    const p = spawnCli(['--topic', 'bad'], { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: 'eve' })
    procs.push(target, p)
    target.type('/id')
    await target.waitForLine(/12D3Koo/, 'target id')
    const wrongId = '12D3KooWAtFrWLt6x4U74a89w6UpPjuGprNNRXmxKcA1wkqLG8wr'
    p.type(`/connect /ip4/127.0.0.1/tcp/${listen}/p2p/${wrongId}`)
    const line = await p.waitForLine(/cannot connect to/, 'wrong peer id error')
    expect(line).toMatch(/: the peer there has a different peer id than the address names \(check the \/p2p\/ part\)$/)
    expect(p.stdout.join('\n')).not.toMatch(/Payload identity key|does not match expected/)

    p.type('/nick has space')
    await p.waitForLine(/a nick cannot contain spaces; try \/nick has_space/, 'nick error')
    p.type('/quit')
    expect(await p.exited).toBe(0)
  })
})
