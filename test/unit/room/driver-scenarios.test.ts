/**
 * Interaction tests of the pure room driver, etcd-io/raft style: each file in
 * `scenarios/` scripts inputs at virtual times and holds the exact output batches
 * they give. Update the expected output with P2PCHAT_UPDATE_GOLDEN=1 and read the diff.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScenarioFile } from '../../support/datadriven.js'
import { DriverHarness } from './driver-harness.js'

const DIR = join(import.meta.dirname, 'scenarios')

describe('room driver scenarios', () => {
  for (const file of readdirSync(DIR).filter(f => f.endsWith('.txt')).sort()) {
    it(file.replace(/\.txt$/, ''), () => {
      const harness = new DriverHarness()
      const mismatches = runScenarioFile(join(DIR, file), command => harness.run(command))
      expect(mismatches.map(m => `line ${m.line}:\n--- expected\n${m.expected}\n--- actual\n${m.actual}`).join('\n\n')).toBe('')
    })
  }
})
