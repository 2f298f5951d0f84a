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
})
