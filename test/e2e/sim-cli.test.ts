import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { killAll, spawnCli, tempDataDir, type CliProcess } from '../support/cli.js'

let procs: CliProcess[] = []
afterEach(async () => { await killAll(procs); procs = [] })

/** Runs `p2pchat sim ...args` to its end. */
async function sim (args: string[]): Promise<{ code: number | null, stdout: string[], stderr: string[] }> {
  const p = spawnCli(['sim', ...args])
  procs.push(p)
  const code = await p.exited
  return { code, stdout: p.stdout, stderr: p.stderr.filter(l => l.trim().length > 0) }
}

/** A model report without the fields that measure this machine (wall time, CPU, memory). */
function deterministicPart (json: string): unknown {
  const report = JSON.parse(json) as Record<string, unknown> & { run: Record<string, unknown> }
  const { resources: _resources, ...rest } = report
  const { wallMs: _wallMs, ...run } = report.run
  return { ...rest, run }
}

describe('p2pchat sim, the real CLI', () => {
  it.each([
    [['--nodes', '0'], /--nodes must be a whole number from 2/],
    [['--loss', '2'], /--loss must be between 0 and 1/],
    [['--partition', 'at=10s'], /--partition "at=10s" needs at= and for=/],
    [['--partition', 'at=1s,for=2s,split=150%'], /split/],
    [['--mode', 'warp'], /--mode/],
    [['--procs', '3', '--mode', 'model'], /--procs runs live processes/]
  ])('%j: exit 2 with one line on stderr and nothing on stdout', async (args, message) => {
    const { code, stdout, stderr } = await sim(args)
    expect(code).toBe(2)
    expect(stderr).toHaveLength(1)
    expect(stderr[0]).toMatch(message)
    expect(stdout.join('')).toBe('')
  })

  it('a model run: 100 % delivery under 10 % loss, the same JSON for the same seed, and an HTML report', async () => {
    const dir = tempDataDir()
    const args = ['--nodes', '30', '--messages', '40', '--loss', '10%', '--seed', '9', '--json']
    const first = await sim([...args, '--report', join(dir, 'run.html')])
    const second = await sim(args)
    expect(first.code).toBe(0)
    expect(second.code).toBe(0)
    const report = JSON.parse(first.stdout.join('\n')) as { delivery: Record<string, number>, config: Record<string, unknown> }
    expect(report.config).toMatchObject({ mode: 'model', nodes: 30, messages: 40, loss: 0.1, seed: 9 })
    expect(report.delivery).toMatchObject({ ratio: 1, expected: 30 * 40 - 40, delivered: 30 * 40 - 40, lost: 0, duplicatesToUi: 0, causalViolations: 0 })
    expect(deterministicPart(second.stdout.join('\n'))).toEqual(deterministicPart(first.stdout.join('\n')))
    const html = readFileSync(join(dir, 'run.html'), 'utf8')
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('<svg')
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i) // self-contained
  })
})
