/**
 * `npm run bench`: runs the benchmarks in turn and prints a report with the
 * machine and the date, ready to copy into BENCHMARKS.md. Select by name:
 * `npm run bench -- model10k live100`; `npm run bench -- --list` lists them;
 * `--json` adds every figure as one JSON object at the end.
 */

import '../src/compat/index.js'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { runLocalTerminals } from './local-terminals.js'
import { runStartup } from './startup.js'
import { runLiveLatency } from './live-latency.js'
import { runPartitionRecovery } from './partition-recovery.js'
import { runCoreThroughput } from './core-throughput.js'
import { runStoreBench } from './store.js'
import { runPresenceBandwidth } from './presence-bandwidth.js'
import { runCensusAccuracy } from './census.js'
import { runSoak } from './soak.js'
import { runRestart } from './restart.js'
import { runRepairAbuse } from './repair-abuse.js'
import { runOverhead } from './overhead.js'
import { runModelScale } from './model-scale.js'
import { runRepairLoss } from './repair-loss.js'
import { runScreenTruth } from './screen-truth.js'
import { runFailureDetection, runFailureDetectionLarge } from './failure-detection.js'
import { runLiveCompare } from './live-compare.js'
import { runLiveScale } from './live-scale.js'
import { runLiveFaults } from './live-faults.js'
import { runCapacity } from './capacity.js'
import { runCrashToLeft } from './crash-to-left.js'
import { runCommittee } from './committee.js'
import { runGovernance } from './governance.js'
import { runDirect } from './direct.js'
import { runPrivate } from './private.js'
import { runRainTreeSpec } from './raintree-spec.js'
import { runRainTreeLive } from './raintree-live.js'
import { LEAN, LIBRARY } from './live-support.js'
import { runNatPunch, runNatReady, runNatRelayBytes } from './nat.js'

/** Longest a single benchmark may take before it is reported as failed. */
const BENCH_TIMEOUT_MS = 10 * 60_000

interface Bench { about: string, run: () => Promise<{ lines: string[], figures?: Record<string, unknown> }>, timeoutMs?: number, onlyWhenNamed?: boolean }

/** Every benchmark, in the order of a full run (about 16 minutes on 2 cores). */
const BENCHES: Record<string, Bench> = {
  core: { about: 'reliability core throughput, one channel', run: async () => await runCoreThroughput() },
  overhead: { about: 'protocol bytes per content message at 10 and 100 senders (model, wire codec)', run: async () => await runOverhead() },
  model10k: { about: 'model: 10,000 participants, 100 messages, 10 % loss', run: async () => await runModelScale() },
  repair: { about: 'model: repair under loss on every copy, 10 to 10,000 participants, 3 seeds (time to 100 %, repair bytes)', run: async () => await runRepairLoss() },
  startup: { about: 'a fresh clone: npm install, first and later npx p2pchat to the prompt, --help/--version, npm exec wrapper memory', run: async () => await runStartup() },
  local: { about: 'three p2pchat processes: start-to-ready and line latency', run: async () => await runLocalTerminals() },
  truth: { about: '5 and 25 p2pchat processes: quiet-room ✓, SIGKILL to "left", restart catch-up', run: async () => {
    const five = await runScreenTruth(5, 5)
    const many = await runScreenTruth(25, 2)
    return { lines: [...five.lines, ...many.lines], figures: { five: five.figures, twentyFive: many.figures } }
  } },
  detect: { about: 'failure detection: crash and silent cut to gone (model, 5 to 1,000 peers), false removals under 20 % loss and 2 s pauses, bytes per probe (live), presence traffic', run: async () => await runFailureDetection(), timeoutMs: 25 * 60_000 },
  detect10k: { about: 'failure detection at 10,000 peers (model): crash and silent cut to gone from every roster', run: async () => await runFailureDetectionLarge(), timeoutMs: 20 * 60_000 },
  latency: { about: 'live 10 nodes: reliable vs raw latency, interleaved', run: async () => await runLiveLatency() },
  partition: { about: 'live 6 nodes: one node cut off and healed, 10 times', run: async () => await runPartitionRecovery() },
  live25: { about: 'live 25 nodes, 10 msg/s, reliable vs raw, chat gossipsub defaults', run: async () => await runLiveCompare() },
  'live25-library': { about: 'same, gossipsub library defaults (--fast-msg-id off --idontwant 512)', run: async () => await runLiveCompare({ gossip: LIBRARY }) },
  'live25-workers': { about: 'same as live25, the 25 nodes in 4 worker processes', run: async () => await runLiveCompare({ workers: 4 }) },
  live100: { about: 'live 100 nodes in 4 worker processes, random:6 topology, with CPU profiles', run: async () => await runLiveScale({ profile: join(tmpdir(), 'p2pchat-live100.cpuprofile') }) },
  'live100-rendezvous': { about: 'same, the chat\'s DHT rendezvous forming the network (no profile)', run: async () => await runLiveScale({ topology: { kind: 'rendezvous' } }) },
  crash100: { about: 'live 100 nodes in 4 workers: SIGKILL-like crash to gone from every roster, 5 trials', run: async () => await runCrashToLeft(), timeoutMs: 20 * 60_000 },
  crash25: { about: 'same, 25 nodes', run: async () => await runCrashToLeft({ nodes: 25 }), timeoutMs: 20 * 60_000 },
  committee: { about: 'committee (issue 18): size k against N; live k = 5 leader failover, 20 trials; idle traffic at k = 5, 8, 15', run: async () => await runCommittee() },
  governance: { about: 'committee in a registry room (issue 18): 10 live sessions, /ban to every validator enforcing it, 30 trials; decision traffic per entry at non-members', run: async () => await runGovernance() },
  'raintree-spec': { about: 'RainTree (issue 17), pure cores in memory, no loss: sends, ACKs, copies and hops per broadcast at 27 … 59,049 members against the spec\'s table', run: async () => await runRainTreeSpec() },
  'raintree-live': { about: 'RainTree (issue 17): gossipsub, raintree+gossipsub and raintree side by side at 12 live nodes, 0/10/30 % silent: delivery, time to all, copies, bytes, CPU', run: async () => await runRainTreeLive(), timeoutMs: 20 * 60_000 },
  'raintree-live100': { about: 'same at 100 live nodes in 4 worker processes', run: async () => await runRainTreeLive({ nodes: 100, workers: 4, messages: 100, rate: 10 }), timeoutMs: 40 * 60_000, onlyWhenNamed: true },
  private: { about: 'private rooms (issue 19): seal/open µs per line and bytes added; live latency of a private vs a plain room, interleaved', run: async () => await runPrivate() },
  direct: { about: 'direct messages (issue 19): 2 live sessions, 200 one at a time and 200 at once, to the client and to ✓; an offline recipient; bytes', run: async () => await runDirect() },
  faults25: { about: 'live 25 nodes: 20 % drop, 30 s 50/50 partition', run: async () => await runLiveFaults() },
  'faults25-workers': { about: 'same, the 25 nodes in 4 worker processes', run: async () => await runLiveFaults(25, { workers: 4 }) },
  capacity: { about: 'live 25 nodes in one process: rate steps 25..400 msg/s', run: async () => await runCapacity() },
  'capacity-lean': { about: 'same, gossipsub also --D 4 --Dlo 3 --Dhi 6 --flood-publish off', run: async () => await runCapacity({ gossip: LEAN }) },
  store: { about: 'persistence: durable appends, disk bytes, start-up with 100k messages', run: async () => await runStoreBench() },
  presence: { about: 'presence bandwidth per peer at 10, 100 and 1,000 participants (model)', run: async () => await runPresenceBandwidth() },
  census: { about: 'census accuracy: 100 censuses at 100, 1,000 and 10,000 peers (model)', run: async () => await runCensusAccuracy() },
  'repair-abuse': { about: 'a raw peer writes 1 MiB of garbage per repair stream to a p2pchat process: its CPU and /status delay', run: async () => await runRepairAbuse() },
  restart: { about: 'a peer restarting over a lingering connection (SIGSTOP): both ways after the new connection and after the old dies', run: async () => await runRestart() },
  'nat-ready': { about: 'simulated internet (namespaces, root): two --public peers behind cone NATs, start to chat-ready', run: async () => await runNatReady(), onlyWhenNamed: true },
  'nat-punch': { about: 'simulated internet: DCUtR outcome over 20 tries per NAT pairing (TCP)', run: async () => await runNatPunch(), timeoutMs: 30 * 60_000, onlyWhenNamed: true },
  'nat-relay': { about: 'simulated internet: bytes the relays carry per chat line', run: async () => await runNatRelayBytes(), onlyWhenNamed: true },
  'soak-ephemeral': { about: 'memory soak: 4 --ephemeral processes, 10 lines/s, 15 min: RSS growth after warm-up', run: async () => await runSoak({ ephemeral: true }), timeoutMs: 25 * 60_000, onlyWhenNamed: true },
  'soak-persistent': { about: 'same, each process with a persistent profile', run: async () => await runSoak({ ephemeral: false }), timeoutMs: 25 * 60_000, onlyWhenNamed: true }
}

const args = process.argv.slice(2)
if (args.includes('--list')) {
  for (const [name, b] of Object.entries(BENCHES)) console.log(`${name.padEnd(13)} ${b.about}`)
  process.exit(0)
}
const selected = args.filter(a => !a.startsWith('-'))
// The 15-minute soaks and the namespace benchmarks (root only) run only when named.
const names = selected.length > 0 ? selected : Object.keys(BENCHES).filter(name => BENCHES[name].onlyWhenNamed !== true)
for (const name of names) {
  if (BENCHES[name] === undefined) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(', ')}`)
    process.exit(2)
  }
}
const started = Date.now()
console.log(`# p2pchat bench — ${new Date().toISOString()}`)
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`)
console.log(`command: npm run bench${selected.length > 0 ? ' -- ' + selected.join(' ') : ''}`)
const figures: Record<string, unknown> = {}
process.on('exit', code => { if (code !== 0) console.error(`bench: exiting with code ${code}`) })
for (const name of names) {
  const began = Date.now()
  // A ref'd timer both bounds a bench and keeps the process alive while it waits on other processes.
  let timer: NodeJS.Timeout | undefined
  const limit = BENCHES[name].timeoutMs ?? BENCH_TIMEOUT_MS
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`timed out after ${limit / 1000} s`)) }, limit) })
  try {
    const result = await Promise.race([BENCHES[name].run(), timeout])
    for (const line of result.lines) console.log(line)
    figures[name] = result.figures
  } catch (err) {
    console.log(`${name}: FAILED: ${(err as Error).message.split('\n')[0]}`)
    figures[name] = { error: (err as Error).message }
  } finally {
    clearTimeout(timer)
  }
  console.log(`  (${name}: ${((Date.now() - began) / 1000).toFixed(0)} s)`)
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`)
if (args.includes('--json')) console.log(JSON.stringify(figures))
process.exit(0)
