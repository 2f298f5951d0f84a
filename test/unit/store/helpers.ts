/**
 * Shared helpers of the store tests: temporary directories (removed after each test),
 * directory sizes, and real messages made by reliability channels.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { ReliableChannel, type ReliableMessage } from '../../../src/reliability/index.js'

export const ROOM = 'p2pchat/lobby'

const made: string[] = []

/** A fresh temporary directory, removed after the current test. */
export async function tempDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pchat-store-'))
  made.push(dir)
  return dir
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** Total bytes of the files under `dir`. */
export async function dirSize (dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? await dirSize(path) : (await stat(path)).size
  }
  return total
}

/** UTF-8 bytes. */
export function bytes (text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** A channel of `self` on ROOM (jitter off). */
export function channel (self: string, room = ROOM): ReliableChannel {
  return new ReliableChannel(self, room, { jitter: 0 })
}

/** `count` messages from two peers talking in turn, each hearing the other. */
export function talk (count: number, start = 1_000_000, room = ROOM): ReliableMessage[] {
  const a = channel('alice', room)
  const b = channel('bob', room)
  const out: ReliableMessage[] = []
  for (let i = 0; i < count; i++) {
    const [from, to] = i % 2 === 0 ? [a, b] : [b, a]
    const msg = from.send(bytes(`line ${i}`), start + i)
    to.receive(msg, start + i)
    out.push(msg)
    if (i % 200 === 0) for (const c of [a, b]) { c.drainEvents(); c.drainOutgoing() }
  }
  return out
}
