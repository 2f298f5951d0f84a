/**
 * The outputs: the table, JSON and the self-contained HTML page (inline SVG, no
 * scripts or external resources), the progress line, and `--check`'s exit code.
 */
import { describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveSimConfig } from '../../../src/sim/config.js'
import { runSim, NO_PROGRESS } from '../../../src/sim/run.js'
import { progressLine } from '../../../src/sim/progress.js'

describe('sim outputs', () => {
  it('prints a table, writes an HTML report with two inline charts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-report-'))
    try {
      let out = ''
      let err = ''
      const file = join(dir, 'r.html')
      const code = await runSim(resolveSimConfig({ nodes: 20, messages: 30, loss: 0.1, partitions: [{ atMs: 500, forMs: 1000, split: 0.3 }], report: file }),
        { out: s => { out += s }, err: s => { err += s }, progress: NO_PROGRESS })
      expect(code).toBe(0)
      expect(out).toMatch(/^p2pchat sim: model, 20 nodes, 30 messages/)
      expect(out).toMatch(/delivery\s+100 % \(570 \/ 570\)/)
      expect(out).toContain('every guarantee held')
      expect(err).toContain(`report written to ${file}`)
      const html = await readFile(file, 'utf8')
      expect(html.match(/<svg /g)).toHaveLength(2)
      expect(html).toContain('partition (6 nodes cut off)')
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('prints one JSON object with --json', async () => {
    let out = ''
    await runSim(resolveSimConfig({ nodes: 5, messages: 5, json: true }), { out: s => { out += s }, err: () => {}, progress: NO_PROGRESS })
    const lines = out.trim().split('\n')
    expect(lines).toHaveLength(1)
    const r = JSON.parse(lines[0]) as { delivery: { ratio: number }, reach: unknown[], latency: { median: number } }
    expect(r.delivery.ratio).toBe(1)
    expect(r.reach).toHaveLength(3)
    expect(r.latency.median).toBeGreaterThanOrEqual(20)
  })

  it('exits 3 under --check only when a guarantee broke (raw mode reports no guarantees)', async () => {
    const io = { out: () => {}, err: () => {}, progress: NO_PROGRESS }
    expect(await runSim(resolveSimConfig({ nodes: 5, messages: 5, check: true }), io)).toBe(0)
    expect(await runSim(resolveSimConfig({ nodes: 20, messages: 20, loss: 0.5, reliability: false, check: true }), io)).toBe(0)
    // Healed 200 ms before the deadline: the sync-on-join alone may take that long, so the halves cannot converge in time.
    expect(await runSim(resolveSimConfig({ nodes: 20, messages: 20, partitions: [{ atMs: 0, forMs: 600_000, split: 0.5 }], timeoutMs: 200, check: true }), io)).toBe(3)
  })

  it('draws a progress line', () => {
    expect(progressLine(50, 200, 1500, 4500, 8)).toBe('sim [##------] 25.0%  50/200 delivered  1.5 s  ETA 4.5 s')
  })
})
