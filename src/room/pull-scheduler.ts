/**
 * Runs the reliability core's pull requests against peers: at most `maxInFlight` pulls at
 * once, the rest queued (capped, oldest dropped). A pull asks up to `targets` peers in
 * holder order (the core's choice first, connected peers before the rest). It asks the
 * next one at once when an attempt fails or comes back empty, and also when an attempt
 * has been unanswered for the hedge delay: a lost request or answer then costs that long,
 * not the whole pull timeout, and the slower attempt may still answer. The first answer
 * ends the pull. Once every peer was asked, they are asked again in turn, the delay doubling
 * each round, until `maxAttempts` attempts were made. The hedge delay follows the answers' round trips as TCP's retransmission
 * timeout does (RFC 6298: smoothed RTT + 4 × its variation), within `minHedgeMs` and
 * `hedgeMs`, and starts at `hedgeMs`. Pure: attempts go out as data; answers, failures and
 * time come back as calls.
 */
import type { PullRequest } from '../reliability/index.js'
import type { PullAttempt } from './driver-types.js'

/** What the scheduler needs to know of the room. */
export interface PullContext {
  selfId: string
  channelId: string
  /** Peers in the topic now. */
  topicPeers: () => Iterable<string>
  /** True while we hold an open connection to the peer. */
  connected: (peerId: string) => boolean
  /** True when the core already has the message. */
  received: (id: string) => boolean
}

/** Limits of the scheduler. */
export interface PullLimits {
  /** Pulls in flight at once. */
  maxInFlight: number
  /** Pulls waiting for a slot. */
  queueCapacity: number
  /** Distinct peers one pull asks at most. */
  targets: number
  /** Attempts one pull makes at most (peers are asked again in turn once all were). */
  maxAttempts: number
  /** The longest an attempt waits unanswered (ms) before the next peer is asked beside it; also the first delay. */
  hedgeMs: number
  /** The shortest such wait (ms), however fast answers come. */
  minHedgeMs: number
}

interface Job {
  key: string
  request: PullRequest
  targets: string[]
  /** Attempts made so far; the next one goes to `targets[next % targets.length]`. */
  next: number
  /** Attempts still out. */
  live: Set<number>
  /** When the newest attempt went out. */
  lastAttemptAt: number
  /** When each attempt still out went out, by attempt id. */
  sentAt: Map<number, number>
}

/** The pull queue and the pulls in flight. */
export class PullScheduler {
  /** Jobs by the ids of their attempts still out. */
  private readonly attemptsOut = new Map<number, Job>()
  private readonly jobs = new Map<string, Job>()
  private queue: PullRequest[] = []
  private nextId = 1
  /** Pull attempts made (one per peer asked). */
  attempts = 0
  /** Attempts made because an earlier one was slow to answer. */
  hedged = 0
  /** Pulls dropped from a full queue. */
  overflowed = 0
  private srtt: number | undefined
  private rttvar = 0

  constructor (private readonly ctx: PullContext, private readonly limits: PullLimits) {}

  /** Pulls in flight now. */
  get active (): number {
    return this.jobs.size
  }

  /** Pulls waiting for a slot. */
  get queued (): number {
    return this.queue.length
  }

  /** The earliest `now` at which `tick` would ask another peer (Infinity when none). */
  nextHedgeAt (): number {
    let earliest = Number.POSITIVE_INFINITY
    for (const job of this.jobs.values()) {
      if (this.hasBudget(job)) earliest = Math.min(earliest, job.lastAttemptAt + this.delayFor(job))
    }
    return earliest
  }

  /** Takes a pull from the core: starts it, queues it, or ignores it while the same pull runs. */
  request (request: PullRequest, now: number, out: PullAttempt[]): void {
    const key = request.messageIds.join(',')
    if (this.jobs.has(key)) return
    if (this.jobs.size >= this.limits.maxInFlight) {
      // Queued, not dropped: a dropped pull would wait for the core's backoff (0.5 s, 1 s, 2 s, …)
      // to come round again, which after a partition heals turns a burst of pulls into seconds.
      if (!this.queue.some(p => p.messageIds.join(',') === key)) this.queue.push(request)
      if (this.queue.length > this.limits.queueCapacity) {
        this.queue.shift() // the core retries it later
        this.overflowed++
      }
      return
    }
    this.start(key, request, now, out)
  }

  /** The current hedge delay (ms): the answers' smoothed round trip plus 4 × its variation, bounded. */
  hedgeDelay (): number {
    if (this.srtt === undefined) return this.limits.hedgeMs
    return Math.min(this.limits.hedgeMs, Math.max(this.limits.minHedgeMs, this.srtt + 4 * this.rttvar))
  }

  /** Asks the next peer of every pull whose newest attempt has been unanswered for the hedge delay. */
  tick (now: number, out: PullAttempt[]): void {
    for (const job of [...this.jobs.values()]) {
      if (this.hasBudget(job) && now - job.lastAttemptAt >= this.delayFor(job)) {
        this.hedged++
        this.attempt(job, now, out)
      }
    }
  }

  /** An attempt was answered: with messages the pull is done; with none, the next peer is asked. */
  answered (pullId: number, gotAny: boolean, now: number, out: PullAttempt[]): void {
    const job = this.attemptsOut.get(pullId)
    if (job === undefined) return
    this.attemptsOut.delete(pullId)
    job.live.delete(pullId)
    const sentAt = job.sentAt.get(pullId)
    job.sentAt.delete(pullId)
    if (sentAt !== undefined) this.sampleRtt(now - sentAt)
    if (gotAny) {
      this.finish(job, now, out)
      return
    }
    // A peer not yet asked is asked at once; asking one again waits for the hedge timer.
    if (job.next < job.targets.length) this.attempt(job, now, out)
    else if (job.live.size === 0 && !this.hasBudget(job)) this.finish(job, now, out)
  }

  /** An attempt failed (timeout, dial failure, garbled answer): the next peer is asked. No round trip is learnt. */
  failed (pullId: number, now: number, out: PullAttempt[]): void {
    this.attemptsOut.get(pullId)?.sentAt.delete(pullId)
    this.answered(pullId, false, now, out)
  }

  /** Forgets everything (the room stopped). */
  clear (): void {
    this.attemptsOut.clear()
    this.jobs.clear()
    this.queue = []
  }

  private start (key: string, request: PullRequest, now: number, out: PullAttempt[]): void {
    const ordered = [...new Set([...(request.peer !== undefined ? [request.peer] : []), ...request.candidates, ...this.ctx.topicPeers()])]
      .filter(p => p !== this.ctx.selfId)
    // Connected candidates first, each group in the planner's order: a dial costs a handshake
    // and, right after a partition heals, waits behind everyone else's reconnection.
    const targets = [...ordered.filter(p => this.ctx.connected(p)), ...ordered.filter(p => !this.ctx.connected(p))].slice(0, this.limits.targets)
    const job: Job = { key, request, targets, next: 0, live: new Set(), lastAttemptAt: now, sentAt: new Map() }
    if (targets.length === 0) {
      this.finish(job, now, out)
      return
    }
    this.jobs.set(key, job)
    this.attempt(job, now, out)
  }

  private attempt (job: Job, now: number, out: PullAttempt[]): void {
    const target = job.targets[job.next++ % job.targets.length]
    const pullId = this.nextId++
    this.attemptsOut.set(pullId, job)
    job.live.add(pullId)
    job.sentAt.set(pullId, now)
    job.lastAttemptAt = now
    this.attempts++
    const { request } = job
    out.push({
      pullId,
      target,
      ask: {
        channelId: this.ctx.channelId,
        ids: request.messageIds,
        maxAncestors: request.maxAncestors ?? 0,
        ...(request.have !== undefined ? { have: request.have } : {}),
        ...(request.minLamport !== undefined ? { minLamport: request.minLamport } : {})
      }
    })
  }

  private hasBudget (job: Job): boolean {
    return job.next < this.limits.maxAttempts
  }

  /** The hedge delay for a job's next attempt: doubled for each round over its peers already made. */
  private delayFor (job: Job): number {
    return this.hedgeDelay() * 2 ** Math.floor(job.next / job.targets.length)
  }

  /** RFC 6298's estimator: SRTT and RTTVAR, gains 1/8 and 1/4. */
  private sampleRtt (rtt: number): void {
    if (!(rtt >= 0)) return
    if (this.srtt === undefined) {
      this.srtt = rtt
      this.rttvar = rtt / 2
      return
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt)
    this.srtt = 0.875 * this.srtt + 0.125 * rtt
  }

  /** Ends a job (attempts still out are ignored when they come back) and starts the oldest queued pull, less the ids that arrived while it waited. */
  private finish (job: Job, now: number, out: PullAttempt[]): void {
    if (this.jobs.get(job.key) === job) this.jobs.delete(job.key)
    for (const pullId of job.live) this.attemptsOut.delete(pullId)
    job.live.clear()
    job.sentAt.clear()
    while (this.queue.length > 0 && this.jobs.size < this.limits.maxInFlight) {
      const next = this.queue.shift() as PullRequest
      const messageIds = next.messageIds.filter(id => !this.ctx.received(id))
      if (messageIds.length === 0) continue
      const key = messageIds.join(',')
      if (this.jobs.has(key)) continue
      this.start(key, { ...next, messageIds }, now, out)
      return
    }
  }
}
