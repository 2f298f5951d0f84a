/**
 * Group commit for durable writes: while one fsync'ed batch is being written, further
 * writes queue up and go out together in the next batch, so a burst of own messages
 * (a paste) costs a few fsyncs instead of one each. Every caller's promise resolves
 * only once its own ops are on disk.
 */
import type { Kv, KvOp } from './kv.js'

interface Waiting { ops: KvOp[], resolve: () => void, reject: (err: unknown) => void }

/** Serialises writes into grouped batches. */
export class GroupCommit {
  private queue: Waiting[] = []
  private running = false
  /** Batches written so far (for tests and benchmarks). */
  batches = 0

  constructor (private readonly kv: Kv, private readonly sync: boolean) {}

  /** Writes `ops` atomically (within one batch) and resolves once they are durable. */
  async write (ops: KvOp[]): Promise<void> {
    return await new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, resolve, reject })
      if (!this.running) void this.run()
    })
  }

  private async run (): Promise<void> {
    this.running = true
    while (this.queue.length > 0) {
      const group = this.queue
      this.queue = []
      try {
        await this.kv.write(group.flatMap((w) => w.ops), this.sync)
        this.batches++
        for (const w of group) w.resolve()
      } catch (err) {
        for (const w of group) w.reject(err)
      }
    }
    this.running = false
  }
}
