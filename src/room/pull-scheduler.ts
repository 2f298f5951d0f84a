/**
 * Runs the reliability core's pull requests against peers: at most `maxInFlight` at
 * once, the rest queued (capped, oldest dropped), each trying up to `targets` peers in
 * holder order (the core's choice first, connected peers before the rest) one after
 * another. Pure: attempts go out as data, answers and failures come back as calls.
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

interface Job {
  key: string
  request: PullRequest
  targets: string[]
  next: number
}

/** The pull queue and the pulls in flight. */
export class PullScheduler {
  private readonly inFlight = new Map<number, Job>()
  private readonly inFlightKeys = new Set<string>()
  private queue: PullRequest[] = []
  private nextId = 1
  /** Pull attempts made (one per peer asked). */
  attempts = 0
  /** Pulls dropped from a full queue. */
  overflowed = 0

  constructor (private readonly ctx: PullContext, private readonly maxInFlight: number, private readonly queueCapacity: number, private readonly targetsPerPull: number) {}

  /** Pulls in flight now. */
  get active (): number {
    return this.inFlight.size
  }

  /** Pulls waiting for a slot. */
  get queued (): number {
    return this.queue.length
  }

  /** Takes a pull from the core: starts it, queues it, or ignores it while the same pull runs. */
  request (request: PullRequest, out: PullAttempt[]): void {
    const key = request.messageIds.join(',')
    if (this.inFlightKeys.has(key)) return
    if (this.inFlight.size >= this.maxInFlight) {
      // Queued, not dropped: a dropped pull would wait for the core's backoff (0.5 s, 1 s, 2 s, …)
      // to come round again, which after a partition heals turns a burst of pulls into seconds.
      if (!this.queue.some(p => p.messageIds.join(',') === key)) this.queue.push(request)
      if (this.queue.length > this.queueCapacity) {
        this.queue.shift() // the core retries it later
        this.overflowed++
      }
      return
    }
    this.start(key, request, out)
  }

  /** An attempt was answered: with messages the pull is done; with none, the next peer is asked. */
  answered (pullId: number, gotAny: boolean, out: PullAttempt[]): void {
    const job = this.inFlight.get(pullId)
    if (job === undefined) return
    this.inFlight.delete(pullId)
    if (gotAny) this.finish(job, out)
    else this.attempt(job, out)
  }

  /** An attempt failed (timeout, dial failure, garbled answer): the next peer is asked. */
  failed (pullId: number, out: PullAttempt[]): void {
    this.answered(pullId, false, out)
  }

  /** Forgets everything (the room stopped). */
  clear (): void {
    this.inFlight.clear()
    this.inFlightKeys.clear()
    this.queue = []
  }

  private start (key: string, request: PullRequest, out: PullAttempt[]): void {
    const ordered = [...new Set([...(request.peer !== undefined ? [request.peer] : []), ...request.candidates, ...this.ctx.topicPeers()])]
      .filter(p => p !== this.ctx.selfId)
    // Connected candidates first, each group in the planner's order: a dial costs a handshake
    // and, right after a partition heals, waits behind everyone else's reconnection.
    const targets = [...ordered.filter(p => this.ctx.connected(p)), ...ordered.filter(p => !this.ctx.connected(p))].slice(0, this.targetsPerPull)
    this.inFlightKeys.add(key)
    this.attempt({ key, request, targets, next: 0 }, out)
  }

  private attempt (job: Job, out: PullAttempt[]): void {
    if (job.next >= job.targets.length) {
      this.finish(job, out)
      return
    }
    const target = job.targets[job.next++]
    const pullId = this.nextId++
    this.inFlight.set(pullId, job)
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

  /** Frees the job's slot and starts the oldest queued pull, less the ids that arrived while it waited. */
  private finish (job: Job, out: PullAttempt[]): void {
    this.inFlightKeys.delete(job.key)
    while (this.queue.length > 0 && this.inFlight.size < this.maxInFlight) {
      const next = this.queue.shift() as PullRequest
      const messageIds = next.messageIds.filter(id => !this.ctx.received(id))
      if (messageIds.length === 0) continue
      const key = messageIds.join(',')
      if (this.inFlightKeys.has(key)) continue
      this.start(key, { ...next, messageIds }, out)
      return
    }
  }
}
