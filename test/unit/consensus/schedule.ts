/**
 * One random schedule of the safety test, fully determined by its seed: 3–5 members under a
 * random mix of proposals, lost, delayed, duplicated and reordered messages, cuts,
 * partitions, crash-restarts, membership changes and compactions, with `SafetyChecker`
 * watching throughout; then a fault-free tail in which a leader must be elected and a
 * proposal applied on every member of its config. Replay a seed with a `trace` to see it.
 */
import { isP2pchatError } from '../../../src/errors.js'
import type { MemberId } from '../../../src/consensus/index.js'
import { createRandom } from '../../../src/shared/index.js'
import { Cluster } from './cluster.js'
import { formatMessage, formatStatus } from './format.js'
import { SafetyChecker } from './invariants.js'

/** The fault-free tail did not elect a leader or commit within its bound. */
export class LivenessFailure extends Error {
  override name = 'LivenessFailure'
}

/** What one schedule did, for the test's summary. */
export interface ScheduleResult {
  virtualMs: number
  terms: number
  commitIndex: number
}

const POOL: readonly MemberId[] = ['a', 'b', 'c', 'd', 'e', 'f']
/** Timing of the schedules (small, so one runs in a few ms; the ratios are etcd's-ish). */
const TIMING = { electionTimeoutMs: 100, heartbeatIntervalMs: 20, tickMs: 10 }
/** Virtual time the fault-free tail may take to elect and commit. */
export const LIVENESS_BOUND_MS = 5_000

/** Runs schedule `seed`; throws SafetyViolation, ContractError or LivenessFailure. `trace` receives every action and event. */
export function runSchedule (seed: number, trace?: (line: string) => void): ScheduleResult {
  const random = createRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
  const size = 3 + Math.floor(random() * 3)
  const cluster = new Cluster({
    seed,
    members: POOL.slice(0, size),
    ...TIMING,
    maxEntriesPerAppend: 1 + Math.floor(random() * 4),
    latency: [1, 1 + Math.floor(random() * 30)]
  })
  const checker = new SafetyChecker(cluster)
  const log = (line: string): void => trace?.(`${cluster.now} ${line}`)
  if (trace !== undefined) watch(cluster, log)
  let proposals = 0
  const tryRun = (what: string, run: () => void): void => {
    try { run(); log(what) } catch (err) {
      if (!isP2pchatError(err)) throw err
      log(`${what}: ${err.code}`)
    }
  }

  // Each schedule draws its own fault intensity, so some are calm and some are storms.
  const intensity = 0.3 + random() * 2.7
  const burst = 1 + Math.floor(random() * 4)
  const propose = (id: MemberId): void => {
    const text = `p${++proposals}`
    tryRun(`propose ${id} ${text}`, () => cluster.propose(id, text))
  }
  const actions: Array<[weight: number, run: () => void]> = [
    [0.25, () => { const l = cluster.leader(); if (l !== undefined) for (let i = 0; i < burst; i++) propose(l.id) }],
    [0.02, () => { const live = cluster.live(); if (live.length > 0) propose(pick(live).id) }],
    [0.01 * intensity, () => { const live = cluster.live(); if (live.length > 0) crash(pick(live).id) }],
    [0.01 * intensity, () => { const l = cluster.leader(); if (l !== undefined) crash(l.id) }],
    [0.01 * intensity, () => {
      // A quick process restart: everything in memory and on its way to it is lost, the disk is not.
      const live = cluster.live()
      if (live.length === 0) return
      const id = pick(live).id
      crash(id)
      log(`restart ${id}`)
      cluster.restart(id)
    }],
    [0.04, () => {
      const crashed = [...cluster.members.values()].filter(m => m.core === undefined)
      if (crashed.length > 0) { const id = pick(crashed).id; log(`restart ${id}`); cluster.restart(id) }
    }],
    [0.015 * intensity, () => {
      const l = cluster.leader()
      const id = l !== undefined && random() < 0.5 ? l.id : pick(ids())
      log(`isolate ${id}`)
      cluster.network.isolate(id)
    }],
    [0.015 * intensity, () => {
      const all = ids()
      const a = all.filter(() => random() < 0.5)
      const groups = [a, all.filter(id => !a.includes(id))]
      log(`partition ${groups.map(g => g.join(',')).join(' ')}`)
      cluster.network.partition(groups)
    }],
    [0.015 * intensity, () => {
      const a = pick(ids()); const b = pick(ids())
      if (a !== b) { log(`cut ${a} ${b}`); cluster.network.cut(a, b) }
    }],
    [0.02 * intensity, () => {
      const from = pick(ids()); const to = pick(ids()); const p = random() * 0.6
      log(`drop ${from} ${to} ${p.toFixed(2)}`)
      cluster.network.drop(from, to, p)
    }],
    [0.03, () => { log('heal'); cluster.network.heal() }],
    [0.01, () => {
      cluster.network.duplicate = random() < 0.5 ? 0 : random() * 0.3
      log(`duplicate ${cluster.network.duplicate.toFixed(2)}`)
    }],
    [0.01, () => {
      const max = 1 + Math.floor(random() * 60)
      cluster.network.latency = [1, max]
      log(`latency 1-${max}`)
    }],
    [0.02, () => { const l = cluster.leader(); if (l !== undefined) changeMembers(cluster, l.id, random, tryRun) }],
    [0.02, () => {
      const live = cluster.live()
      if (live.length === 0) return
      const m = pick(live)
      if (m.app.index > m.disk.snapshotIndex) tryRun(`compact ${m.id} ${m.app.index}`, () => cluster.compact(m.id))
    }]
  ]
  const ids = (): MemberId[] => [...cluster.members.keys()]
  const crash = (id: MemberId): void => { log(`crash ${id}`); cluster.crash(id) }

  const chaosMs = 100 + Math.floor(random() * 800)
  while (cluster.now < chaosMs) {
    let r = random()
    for (const [weight, run] of actions) {
      if (r < weight) { run(); break }
      r -= weight
    }
    cluster.advance(TIMING.tickMs)
  }

  liveness(cluster, log)
  return { virtualMs: cluster.now, terms: checker.leaders.size, commitIndex: checker.commitIndex }
}

/** Adds a member (a new one, or one removed earlier) or removes one, keeping 3–5. */
function changeMembers (cluster: Cluster, leader: MemberId, random: () => number, tryRun: (what: string, run: () => void) => void): void {
  const current = cluster.member(leader).status.members
  const absent = POOL.filter(id => !current.includes(id))
  const remove = current.length > 3 && (current.length >= 5 || random() < 0.5)
  const target = remove ? current[Math.floor(random() * current.length)] : absent[Math.floor(random() * absent.length)]
  const next = remove ? current.filter(id => id !== target) : [...current, target]
  tryRun(`change-members ${leader} ${next.join(',')}`, () => {
    cluster.changeMembers(leader, next)
    // A new member starts once it is being added, knowing the list it joins.
    if (!cluster.members.has(target)) cluster.start(target, next)
  })
}

/** Heals everything and restarts every crashed member; a leader must then commit a proposal on all of its config. */
function liveness (cluster: Cluster, log: (line: string) => void): void {
  log('heal for liveness')
  cluster.network.heal()
  cluster.network.duplicate = 0
  cluster.network.latency = [1, 10]
  for (const m of cluster.members.values()) if (m.core === undefined) cluster.restart(m.id)
  const start = cluster.now
  const proposed: string[] = []
  let proposedTerm = -1
  const done = (): boolean => {
    const leader = cluster.leader()
    if (leader === undefined) return false
    if (leader.status.term !== proposedTerm) {
      try {
        const text = `live${proposed.length + 1}`
        cluster.propose(leader.id, text)
        proposed.push(text)
        proposedTerm = leader.status.term
        log(`propose ${leader.id} ${text}`)
      } catch (err) {
        if (!isP2pchatError(err, 'NOT_LEADER')) throw err
        return false
      }
    }
    const config = leader.status.members
    return proposed.some(text => config.every(id => cluster.member(id).app.commands.some(([, t]) => t === text)))
  }
  if (!cluster.runUntil(done, LIVENESS_BOUND_MS)) {
    const states = [...cluster.members.values()].map(m => `${m.id}: ${m.core === undefined ? 'crashed' : formatStatus(m.status)}`)
    throw new LivenessFailure(`no proposal committed on every member within ${LIVENESS_BOUND_MS} ms of healing at ${start} ms (proposed ${proposed.join(',') || 'nothing'}):\n${states.join('\n')}`)
  }
}

/** Traces deliveries, losses and role changes. */
function watch (cluster: Cluster, log: (line: string) => void): void {
  cluster.observe(event => {
    switch (event.type) {
      case 'deliver': log(`${formatMessage(event.flight.message)}${event.lost === undefined ? '' : ` (lost: ${event.lost})`}`); break
      case 'ready': {
        const { before: b, after: a } = event
        if (a.role !== b.role || a.term !== b.term || a.leader !== b.leader || a.commit !== b.commit) log(`  ${event.member.id}: ${formatStatus(a)}`)
        break
      }
      case 'install': log(`  ${event.member.id}: installed snapshot ${event.snapshot.index}/${event.snapshot.term}`); break
      case 'compact': log(`  ${event.member.id}: compacted to ${event.snapshot.index}/${event.snapshot.term}`); break
      case 'restart': log(`  ${event.member.id}: restarted ${formatStatus(event.member.status)}`); break
      default:
    }
  })
}
