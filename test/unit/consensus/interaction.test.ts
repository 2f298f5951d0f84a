/**
 * Interaction tests of the consensus core, etcd-io/raft style: each file in `scenarios/`
 * drives a small committee through `InteractionHarness` commands and holds the exact trace
 * they give (messages delivered, role changes, votes, applies). Regenerate with
 * P2PCHAT_UPDATE_GOLDEN=1 and read the diff: a changed trace is a changed protocol.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScenarioFile } from '../../support/datadriven.js'
import { InteractionHarness } from './interaction-harness.js'

const DIR = join(import.meta.dirname, 'scenarios')

describe('consensus interaction scenarios', () => {
  for (const file of readdirSync(DIR).filter(f => f.endsWith('.txt')).sort()) {
    it(file.replace(/\.txt$/, ''), () => {
      const harness = new InteractionHarness()
      const mismatches = runScenarioFile(join(DIR, file), command => harness.run(command))
      expect(mismatches.map(m => `line ${m.line}:\n--- expected\n${m.expected}\n--- actual\n${m.actual}`).join('\n\n')).toBe('')
    })
  }
})
