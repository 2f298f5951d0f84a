/**
 * The simulator's HTML report, laid out by a real browser (headless Chromium) at
 * 700 and 1,300 px: nothing scrolls sideways and nothing sits past the window's
 * right edge (the charts' 95 % and 100 % markers used to), the figures are a
 * table and the header says what ran in plain words.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveSimConfig } from '../../src/sim/config.js'
import { runSim, NO_PROGRESS } from '../../src/sim/run.js'
import { Chromium } from '../support/chromium.js'

let dir: string
let file: string
let browser: Chromium

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-layout-'))
  file = join(dir, 'report.html')
  // Loss, a partition and late joiners: every band, marker and table row the page can have.
  const code = await runSim(resolveSimConfig({ nodes: 200, messages: 50, senders: 0, loss: 0.1, lateJoin: 20, partitions: [{ atMs: 500, forMs: 1500, split: 0.3 }], report: file, seed: 3 }),
    { out: () => {}, err: () => {}, progress: NO_PROGRESS })
  expect(code).toBe(0)
  browser = new Chromium()
})

afterAll(async () => {
  await browser?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('the HTML report in headless Chromium', () => {
  for (const width of [700, 1300]) {
    it(`fits a ${width} px window: no horizontal scroll, nothing past the right edge`, async () => {
      const layout = await browser.layout(file, width)
      expect(layout.innerWidth).toBe(width)
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth)
      expect(layout.rightmost).toBeLessThanOrEqual(layout.innerWidth)
    })
  }

  it('says what ran in plain words, shows figures as a table, and rounds sensibly', async () => {
    const html = await readFile(file, 'utf8')
    expect(html).toContain('<h1>p2pchat sim report</h1>')
    expect(html).toContain('A model run (virtual time) of 200 nodes: 50 messages sent at 10 per second by 50 nodes in turn, with 10 % of messages dropped while sending, 1 partition, 20 nodes joining halfway; reliability on; seed 3.')
    expect(html).toMatch(/<table class="figures">[\s\S]*<th scope="row">delivery<\/th>/)
    expect(html).not.toContain('<pre>')
    expect(html).not.toMatch(/\d\.\d{3} %/) // no "100.000 %"
  })
})
