/**
 * Fault injection as a wrapper around a broadcast path (tests and the simulator only):
 * asked once per copy the path accepted, it may drop it, deliver it twice, or deliver it
 * late, so copies arriving meanwhile overtake it.
 */
import type { BroadcastPath, InboundCopy, PathHandler } from './broadcast-path.js'

/** What fault injection does to one inbound copy. */
export interface InboundFault {
  /** Drop it: the core never sees this copy. */
  drop?: boolean
  /** Hand it to the core twice (the second copy must be dropped as a duplicate). */
  duplicate?: boolean
  /** Hand it over this many ms late (copies arriving meanwhile overtake it). */
  delayMs?: number
}

/** A path whose inbound copies pass through `draw()`'s faults. */
export class FaultyPath implements BroadcastPath {
  readonly name: string
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private running = false

  constructor (private readonly inner: BroadcastPath, private readonly draw: () => InboundFault) {
    this.name = inner.name
  }

  async start (handler: PathHandler): Promise<void> {
    this.running = true
    await this.inner.start({ ...handler, deliver: copy => { this.deliver(handler, copy) } })
  }

  async publish (...args: Parameters<BroadcastPath['publish']>): Promise<number> {
    return await this.inner.publish(...args)
  }

  peers (): string[] { return this.inner.peers() }

  canSendTo (peerId: string): boolean { return this.inner.canSendTo(peerId) }

  async stop (): Promise<void> {
    this.running = false
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await this.inner.stop()
  }

  private deliver (handler: PathHandler, copy: InboundCopy): void {
    const fault = this.draw()
    if (fault.drop === true) {
      handler.drop('injected-loss')
      return
    }
    const copies = fault.duplicate === true ? 2 : 1
    for (let i = 0; i < copies; i++) {
      if ((fault.delayMs ?? 0) <= 0) {
        handler.deliver(copy)
        continue
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        if (this.running) handler.deliver(copy)
      }, fault.delayMs)
      this.timers.add(timer)
    }
  }
}
