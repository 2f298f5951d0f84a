/**
 * `npm run bench`: runs every benchmark in turn and prints a report with the
 * machine and the date, ready to copy into BENCHMARKS.md. Select with
 * `npm run bench -- local` (names: local, latency, ...).
 */

import '../src/compat/index.js'
import { cpus, totalmem } from 'node:os'
import { runLocalTerminals } from './local-terminals.js'
import { runLiveLatency } from './live-latency.js'
import { runPartitionRecovery } from './partition-recovery.js'
import { runCoreThroughput } from './core-throughput.js'

const BENCHES: Record<string, () => Promise<{ lines: string[] }>> = {
  core: async () => await runCoreThroughput(),
  local: async () => await runLocalTerminals(),
  latency: async () => await runLiveLatency(),
  partition: async () => await runPartitionRecovery()
}

const selected = process.argv.slice(2).filter(a => !a.startsWith('-'))
const names = selected.length > 0 ? selected : Object.keys(BENCHES)
console.log(`# p2pchat bench — ${new Date().toISOString()}`)
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`)
for (const name of names) {
  const bench = BENCHES[name]
  if (bench === undefined) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(', ')}`)
    process.exit(2)
  }
  const result = await bench()
  for (const line of result.lines) console.log(line)
}
process.exit(0)
