/**
 * The interactive terminal as a person meets it, on a real pseudo-terminal:
 * a mention rings the bell, /lastlog finds it, a resize redraws the screen
 * re-wrapped to the new width, and a wrapped own line still gets its ✓.
 */

import { afterEach, describe, expect, it } from 'vitest'
import { freePort, killAll, spawnCli, type CliProcess } from '../support/cli.js'
import { spawnPty, type PtyProcess } from '../support/pty.js'

let procs: CliProcess[] = []
let ptys: PtyProcess[] = []
afterEach(async () => {
  await killAll(procs)
  for (const p of ptys) if (p.child.exitCode === null) p.child.kill('SIGKILL')
  await Promise.all(ptys.map(async p => await p.exited))
  procs = []
  ptys = []
})

const REDRAW = '\x1b[H\x1b[2J'
// eslint-disable-next-line no-control-regex
const WRAPPED_TICK = /\x1b7\x1b\[\d+A\r\x1b\[2K(?:\x1b\[1B\x1b\[2K)+\x1b\[\d+A[^\x1b]*ping[^\x1b]*✓\x1b8/

describe('the terminal under a pty', () => {
  it('bell on a mention, /lastlog, and a resize that re-wraps with marks still updating', async () => {
    const port = await freePort()
    const topic = `pty-${process.pid}`
    const env = { P2PCHAT_LOCAL_PORT: String(port), NO_COLOR: '1' }
    const alice = spawnPty(['--topic', topic], { ...env, P2PCHAT_NICK: 'alice' }, { columns: 100, rows: 30 })
    ptys.push(alice)
    await alice.waitFor(o => o.includes(`[${topic} · `), 'alice prompt')
    const bob = spawnCli(['--topic', topic], { ...env, P2PCHAT_NICK: 'bob' })
    procs.push(bob)
    await alice.waitFor(o => o.includes(`[${topic} · 1 peer] alice> `), 'bob in the room')

    // A line naming alice rings the bell (BEL after the line, in the same write); others do not.
    const mention = 'hey alice, lunch at the usual place near the station at noon?'
    bob.type(mention)
    await alice.waitFor(o => o.includes(mention), 'the mention')
    await alice.waitFor(o => o.slice(o.indexOf(mention)).includes('\x07'), 'the bell')
    bob.type('nothing for anyone')
    await alice.waitFor(o => o.includes('nothing for anyone'), 'a plain line')
    expect(alice.output().split('\x07').length - 1).toBe(1)

    alice.type('/lastlog LUNCH\r')
    await alice.waitFor(o => o.includes('lastlog: 1 message containing "LUNCH"') && o.includes('end of lastlog'), '/lastlog')

    // Resize to 40 columns: the screen is redrawn, bob's line wrapped under its text (12 columns in).
    const before = alice.output().length
    alice.resize(40, 20)
    await alice.waitFor(o => o.indexOf(REDRAW, before) >= 0 && o.slice(o.indexOf(REDRAW, before)).includes('noon?'), 'redraw')
    const redrawn = alice.output().slice(alice.output().indexOf(REDRAW, before))
    expect(redrawn).toMatch(/<bob> hey alice, lunch at the\r?\n {12}usual place near the station\r?\n {12}at noon\?/)

    // A long own line wraps at 40 columns and still gets its ✓ in place, rewriting all its rows.
    // bob's reply acknowledges it (acks ride on every message), which makes it ✓.
    const sentAt = alice.output().length
    alice.type(`${'ping '.repeat(14).trim()}\r`)
    await bob.waitForLine(/ping ping ping/, 'bob receiving the ping line')
    bob.type('pong')
    await alice.waitFor(o => o.includes('pong'), 'the reply')
    await alice.waitFor(o => WRAPPED_TICK.test(o.slice(sentAt)), 'the ✓ on the wrapped own line')

    alice.type('/quit\r')
    expect(await alice.exited).toBe(0)
  })

  it('closing the terminal window is a clean quit: the others drop the peer at once, as for /quit', async () => {
    const port = await freePort()
    // Records every 10 minutes: a peer that crashed would stay in the roster for 30 minutes,
    // so only a clean leave can end this test in time.
    const env = { P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_PRESENCE: 'basePeriodMs=600000' }
    const watcher = spawnCli(['--topic', 'window', '--json'], { ...env, P2PCHAT_NICK: 'watcher' })
    procs.push(watcher)
    const closer = spawnPty(['--topic', 'window'], { ...env, P2PCHAT_NICK: 'closer' })
    ptys.push(closer)
    await watcher.waitForLine(l => l.includes('"type":"roster"') && l.includes('"nick":"closer"'), 'the closer in the roster')
    await closer.waitFor(out => out.includes('watcher'), 'the watcher on the closer\'s screen')
    closer.child.kill('SIGKILL') // the terminal (\`script\`, holding the pty's master side) goes away
    await watcher.waitForLine(l => l.includes('"type":"roster"') && /"left":\[\{[^\]]*"nick":"closer"/.test(l), 'the closer leaving the roster', 60_000)
  })

  it('a bad boolean env value exits 2 with one line, on a terminal too', async () => {
    const p = spawnPty(['--topic', 'x'], { P2PCHAT_PUBLIC: 'yess' })
    ptys.push(p)
    expect(await p.exited).toBe(2)
    expect(p.output().trim()).toBe('p2pchat: P2PCHAT_PUBLIC must be one of 1, true, yes, on, 0, false, no, off, not "yess"')
  })
})
