/**
 * `p2pchat sim`: the simulator's commander command. Every flag is parsed and
 * checked here (one-line errors through InvalidArgumentError, cross-flag checks
 * through `resolveSimConfig`), the result is one typed SimConfig, and `runSim`
 * runs it. The program registers the command with `buildSimCommand`.
 */

import { parsePaths } from './validate.js'
import { Command, InvalidArgumentError, Option } from 'commander'
import { isP2pchatError } from '../errors.js'
import { DEFAULT_SIM_CONFIG, MAX_LIVE_NODES, MAX_PROCS, resolveSimConfig, type ChurnSpec, type GossipTuning, type PartitionSpec, type SimConfig, type SimMode, type Topology } from '../sim/config.js'
import { parseChurnSpec, parseDuration, parseInteger, parsePartitionSpec, parsePositive, parseProbability, parseTopology } from '../sim/specs.js'
import type { SimIo } from '../sim/run.js'
import type { ChannelOptions } from '../reliability/index.js'
import { parseReliability } from './validate.js'

export type { SimConfig } from '../sim/config.js'
export type { SimIo } from '../sim/run.js'

const EXAMPLES = `
Examples:
  $ p2pchat sim                                              # model: 10 nodes, 100 messages, reliability on
  $ p2pchat sim --nodes 10000 --messages 100 --loss 10%      # the reliability core at scale, in virtual time
  $ p2pchat sim --nodes 50 --loss 0.2 --no-reliability       # what plain broadcast loses
  $ p2pchat sim --mode live --nodes 25 --rate 10 --messages 300
  $ p2pchat sim --mode live --nodes 25 --partition "at=5s,for=30s,split=50%" --report run.html
  $ p2pchat sim --mode live --nodes 100 --workers 2 --topology random:6
  $ p2pchat sim --procs 5 --messages 50 --json               # five real p2pchat processes
  $ p2pchat sim --nodes 500 --churn "rate=2/s,downtime=5s" --late-join 50 --seed 7

Durations take a unit (250ms, 10s, 2m). Probabilities are 0..1 or a percentage.
Model runs are deterministic: the same flags and seed give the same report.`

/** Wraps a sim parser so its P2pchatError becomes commander's InvalidArgumentError. */
function arg<T> (parse: (value: string) => T): (value: string) => T {
  return (value: string) => {
    try {
      return parse(value)
    } catch (err) {
      if (isP2pchatError(err)) throw new InvalidArgumentError(err.message)
      throw err
    }
  }
}

const count = (what: string, min: number, max: number): (value: string) => number => arg(v => parseInteger(v, min, max, what))
const probability = (what: string): (value: string) => number => arg(v => parseProbability(v, what))
const duration = (what: string): (value: string) => number => arg(v => parseDuration(v, what))

function parseOnOff (value: string): boolean {
  if (value === 'on' || value === 'true') return true
  if (value === 'off' || value === 'false') return false
  throw new InvalidArgumentError(`must be "on" or "off", got "${value}"`)
}

function parseMode (value: string): SimMode {
  if (value !== 'model' && value !== 'live') throw new InvalidArgumentError(`--mode must be "model" or "live" (use --procs N for separate processes), got "${value}"`)
  return value
}

/** Raw commander values of the sim command. */
interface SimFlags {
  mode?: SimMode
  procs?: number
  workers: number
  paths: 'gossipsub' | 'raintree+gossipsub' | 'raintree'
  nonForwarding: number
  topology?: Topology
  healRediscover: boolean
  nodes?: number
  messages: number
  rate: number
  senders: number
  size: number
  seed: number
  loss: number
  dup: number
  reorder: number
  partition: PartitionSpec[]
  churn?: ChurnSpec
  lateJoin: number
  reliability: boolean
  tune?: Partial<ChannelOptions>
  D?: number
  Dlo?: number
  Dhi?: number
  heartbeat?: number
  floodPublish?: boolean
  fastMsgId?: boolean
  idontwant?: number
  latency: number
  jitter: number
  warmup: number
  timeout: number
  topic?: string
  json: boolean
  report?: string
  cpuProf?: string
  check: boolean
}

/** Turns the flags into a checked SimConfig (throws P2pchatError on a bad combination). */
export function simConfigFromFlags (f: SimFlags): SimConfig {
  const d = DEFAULT_SIM_CONFIG
  const gossip: GossipTuning = {}
  if (f.D !== undefined) gossip.D = f.D
  if (f.Dlo !== undefined) gossip.Dlo = f.Dlo
  if (f.Dhi !== undefined) gossip.Dhi = f.Dhi
  if (f.heartbeat !== undefined) gossip.heartbeatMs = f.heartbeat
  if (f.floodPublish !== undefined) gossip.floodPublish = f.floodPublish
  if (f.fastMsgId !== undefined) gossip.fastMsgId = f.fastMsgId
  if (f.idontwant !== undefined) gossip.idontwantMinBytes = f.idontwant
  if (f.procs !== undefined && f.nodes !== undefined && f.nodes !== f.procs) throw new InvalidArgumentError(`--procs ${f.procs} runs ${f.procs} nodes; drop --nodes ${f.nodes}`)
  if (f.procs !== undefined && f.mode === 'model') throw new InvalidArgumentError('--procs runs live processes; it does not combine with --mode model')
  const mode: SimMode = f.procs !== undefined ? 'procs' : f.mode ?? d.mode
  return resolveSimConfig({
    mode,
    nodes: f.procs ?? f.nodes ?? DEFAULT_SIM_CONFIG.nodes,
    messages: f.messages,
    rate: f.rate,
    senders: f.senders,
    size: f.size,
    seed: f.seed,
    loss: f.loss,
    dup: f.dup,
    reorder: f.reorder,
    partitions: f.partition,
    ...(f.churn !== undefined ? { churn: f.churn } : {}),
    lateJoin: f.lateJoin,
    reliability: f.reliability,
    channel: f.tune ?? {},
    gossip,
    ...(f.topology !== undefined ? { topology: f.topology } : {}),
    healRediscover: f.healRediscover,
    workers: f.workers,
    paths: f.paths,
    nonForwarding: f.nonForwarding,
    latencyMs: f.latency,
    jitterMs: f.jitter,
    warmupMs: f.warmup,
    timeoutMs: f.timeout,
    topic: f.topic ?? '',
    json: f.json,
    ...(f.report !== undefined ? { report: f.report } : {}),
    ...(f.cpuProf !== undefined ? { cpuProf: f.cpuProf } : {}),
    check: f.check
  })
}

/** Builds the `sim` command; `onInvoke` receives the checked config when it runs. */
export function buildSimCommand (onInvoke: (config: SimConfig) => void): Command {
  const d = DEFAULT_SIM_CONFIG
  const cmd = new Command('sim')
    .description('simulate a room: delivery, latency, overhead and recovery under loss, partitions and churn, with the real reliability code')
    .addOption(new Option('--mode <mode>', 'model: reliability core over an in-memory network (virtual time); live: real libp2p nodes on loopback (default: model)').argParser(parseMode))
    .addOption(new Option('--procs <n>', `spawn n real p2pchat processes (node bin/p2pchat.js --json) instead; 2-${MAX_PROCS}`).argParser(count('--procs', 2, MAX_PROCS)))
    .addOption(new Option('--workers <n>', 'live mode: host the nodes in n worker processes (0 = this process)').default(d.workers).argParser(count('--workers', 0, 16)))
    .addOption(new Option('--paths <paths>', 'live mode: broadcast paths, gossipsub, raintree+gossipsub or raintree').default(d.paths).argParser(arg(parsePaths)))
    .addOption(new Option('--non-forwarding <p>', 'live mode: share of nodes (0..1 or %) that take RainTree copies but never forward or ACK them').default(d.nonForwarding).argParser(probability('--non-forwarding')))
    .addOption(new Option('--topology <kind>', 'live: "rendezvous" (the chat\'s DHT rendezvous: each node dials found peers up to 8; default) or "random:K" (each node dials K random earlier nodes, rendezvous off)').argParser(arg(parseTopology)))
    .addOption(new Option('--nodes <n>', `participants (default: ${DEFAULT_SIM_CONFIG.nodes}; live: at most ${MAX_LIVE_NODES})`).argParser(count('--nodes', 2, 1_000_000)))
    .addOption(new Option('--messages <n>', 'content messages to send').default(d.messages).argParser(count('--messages', 1, 1_000_000)))
    .addOption(new Option('--rate <msg/s>', 'messages per second, network-wide').default(d.rate).argParser(arg(v => parsePositive(v, 100_000, '--rate'))))
    .addOption(new Option('--senders <n>', 'distinct sending nodes (0 = all)').default(d.senders).argParser(count('--senders', 0, 1_000_000)))
    .addOption(new Option('--size <bytes>', 'text bytes per message').default(d.size).argParser(count('--size', 1, 4000)))
    .addOption(new Option('--seed <n>', 'seed of every random choice').default(d.seed).argParser(count('--seed', 0, 2 ** 32 - 1)))
    .addOption(new Option('--loss <p>', 'drop while sending (0..1 or %); model: every copy, repair included; live: at the gossipsub-to-core boundary and each pull request and answer').default(d.loss).argParser(probability('--loss')))
    .addOption(new Option('--dup <p>', 'duplicate each message with this probability (model: per copy on a link; live: at the gossipsub-to-core boundary)').default(d.dup).argParser(probability('--dup')))
    .addOption(new Option('--reorder <p>', 'hold a message back up to 200 ms with this probability (model: per copy; live: at the gossipsub-to-core boundary)').default(d.reorder).argParser(probability('--reorder')))
    .addOption(new Option('--partition <spec>', 'split the nodes: "at=10s,for=30s,split=50%" (repeatable)').default([], 'none').argParser((v: string, prev: PartitionSpec[] = []) => [...prev, arg(parsePartitionSpec)(v)]))
    .addOption(new Option('--heal-rediscover', 'live: when a partition heals, every node searches the rendezvous at once (else its backed-off loop finds the other side)').default(false))
    .addOption(new Option('--churn <spec>', 'crash and restart nodes while sending: "rate=0.5/s,downtime=5s"').argParser(arg(parseChurnSpec)))
    .addOption(new Option('--late-join <n>', 'this many of the nodes join halfway through sending').default(d.lateJoin).argParser(count('--late-join', 0, 1_000_000)))
    .addOption(new Option('--no-reliability', 'raw delivery: no reliability core (model: plain broadcast with the same faults)'))
    .addOption(new Option('--tune <key=value,...>', 'reliability-core tuning of every node, as the chat\'s --reliability (e.g. pullInitialDelayMs=50)').argParser((v: string, prev?: Partial<ChannelOptions>) => parseReliability(v, prev)))
    .addOption(new Option('--D <n>', 'live: gossipsub mesh degree').argParser(count('--D', 1, 100)))
    .addOption(new Option('--Dlo <n>', 'live: gossipsub mesh low watermark').argParser(count('--Dlo', 1, 100)))
    .addOption(new Option('--Dhi <n>', 'live: gossipsub mesh high watermark').argParser(count('--Dhi', 1, 200)))
    .addOption(new Option('--heartbeat <duration>', 'live: gossipsub heartbeat interval').argParser(duration('--heartbeat')))
    .addOption(new Option('--flood-publish <on|off>', 'live: publish own messages to every topic peer (gossipsub default: on) or only to the mesh').argParser(parseOnOff))
    .addOption(new Option('--fast-msg-id <on|off>', 'live: drop duplicate copies by (from, seqno) before verifying their signature again (chat default: on)').argParser(parseOnOff))
    .addOption(new Option('--idontwant <bytes>', 'live: smallest message for which gossipsub sends IDONTWANT (chat default: 16384; the library\'s: 512)').argParser(count('--idontwant', 0, 1_000_000)))
    .addOption(new Option('--latency <duration>', 'model: base one-way link latency').default(d.latencyMs, '20ms').argParser(duration('--latency')))
    .addOption(new Option('--jitter <duration>', 'model: extra uniform latency per copy').default(d.jitterMs, '10ms').argParser(duration('--jitter')))
    .addOption(new Option('--warmup <duration>', 'live: wait this long after the network formed before sending').default(d.warmupMs, '2s').argParser(duration('--warmup')))
    .addOption(new Option('--timeout <duration>', 'longest wait for convergence after the last send').default(d.timeoutMs, '60s').argParser(duration('--timeout')))
    .addOption(new Option('--topic <name>', 'live: the room to use (default: a fresh one per run)'))
    .addOption(new Option('--json', 'print the report as one JSON object').default(false))
    .addOption(new Option('--report <file.html>', 'also write a self-contained HTML report with charts'))
    .addOption(new Option('--cpu-prof <file>', 'profile the measured phase; write a .cpuprofile and list the top entries'))
    .addOption(new Option('--check', 'exit 3 when reliability is on and a message was lost, duplicated or misordered').default(false))
    .addHelpText('after', EXAMPLES)
    .allowExcessArguments(false)
  cmd.action((flags: SimFlags) => {
    let config: SimConfig
    try {
      config = simConfigFromFlags(flags)
    } catch (err) {
      if (isP2pchatError(err) || err instanceof InvalidArgumentError) cmd.error(`error: ${err.message}`, { exitCode: 2, code: 'p2pchat.sim.invalid' })
      throw err
    }
    onInvoke(config)
  })
  return cmd
}

/** Runs a checked config (see `src/sim/run.ts`); resolves with the exit code. */
export async function runSim (config: SimConfig, io?: SimIo): Promise<number> {
  // Loaded here, not at the top: `p2pchat --help` must not pay for the simulator and libp2p.
  const { runSim: run } = await import('../sim/run.js')
  return await run(config, io)
}
