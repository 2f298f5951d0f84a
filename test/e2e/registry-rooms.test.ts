import { afterEach, describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { freePort, killAll, spawnCli, type CliProcess } from '../support/cli.js'

const REGISTRY = fileURLToPath(new URL('../../example_registry.yaml', import.meta.url))
let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

const said = (nick: string, text: string) => (line: string): boolean => line.includes(`<${nick}> ${text}`)

describe('rooms from a registry', () => {
  it('two processes in a registry room chat; /join moves both; messages do not cross rooms', async () => {
    const port = await freePort()
    const env = (nick: string): Record<string, string> => ({ P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick })
    const ann = spawnCli(['--registry', REGISTRY, '--room', 'dev'], env('ann'))
    const ben = spawnCli(['--registry', REGISTRY, '--room', 'dev'], env('ben'))
    // a third process in another room, to show that nothing crosses over
    const cat = spawnCli(['--registry', REGISTRY, '--room', 'printers'], env('cat'))
    procs.push(ann, ben, cat)
    await ann.waitForLine(/joined/, 'ben joining dev')
    ann.type('hello dev')
    await ben.waitForLine(said('ann', 'hello dev'), 'dev line at ben')

    ann.type('/rooms')
    await ann.waitForLine(/printers/, 'the rooms table')

    ann.type('/join printers')
    await ann.waitForLine(/now in room printers/, 'ann switching')
    ben.type('/join printers')
    await ben.waitForLine(/now in room printers/, 'ben switching')
    await cat.waitForLine(l => cat.stdout.filter(x => /joined/.test(x)).length >= 2, 'cat seeing both arrive', 20_000)
    ben.type('hello printers')
    await ann.waitForLine(said('ben', 'hello printers'), 'printers line at ann', 20_000)
    await cat.waitForLine(said('ben', 'hello printers'), 'printers line at cat', 20_000)
    expect(cat.stdout.some(said('ann', 'hello dev'))).toBe(false)

    ann.type('/leave')
    await ann.waitForLine(/now in room dev/, 'ann back in dev')
    ann.type('back in dev')
    await cat.waitForLine(/left/, 'ann leaving printers', 20_000)
    // ben (in printers) must not receive ann's dev line
    ben.type('/id')
    await ben.waitForLine(/12D3Koo/, 'ben responsive')
    expect(ben.stdout.some(said('ann', 'back in dev'))).toBe(false)
    expect(cat.stdout.some(said('ann', 'back in dev'))).toBe(false)
  })

  it('p2pchat rooms prints the table and exits 0; a missing registry exits 1 with one line', async () => {
    const ok = spawnCli(['rooms', '--registry', REGISTRY])
    procs.push(ok)
    expect(await ok.exited).toBe(0)
    expect(ok.stdout.join('\n')).toMatch(/NAME.*DESCRIPTION[\s\S]*lobby[\s\S]*printers[\s\S]*dev/)
    const missing = spawnCli(['rooms', '--registry', '/nonexistent/registry.yaml'])
    procs.push(missing)
    expect(await missing.exited).toBe(1)
    expect(missing.stderr.filter(l => l.length > 0)).toHaveLength(1)
  })
})
