/**
 * `kill -9` at arbitrary moments while a process sends (each own message written
 * durably before it is reported as sent): after each crash every message reported as
 * sent is in the store exactly once, the store opens cleanly, the unsettled own
 * messages are restored as unacknowledged, and the Lamport clock never goes back.
 */
import { describe, expect, it } from 'vitest'
import { ReliableChannel } from '../../../src/reliability/index.js'
import { openProfile } from '../../../src/store/index.js'
import { ROOM, tempDir } from '../../unit/store/helpers.js'
import { startChild } from './fixtures/child.js'

describe('crash safety', () => {
  it('kill -9 mid-write loses no message reported as sent and duplicates none', async () => {
    const dataDir = await tempDir()
    const reported = new Map<string, number>()
    let peerId: string | undefined
    let maxLamport = 0
    for (const [round, threshold] of [40, 170, 5, 90].entries()) {
      const child = await startChild(['write', dataDir, 'default', ROOM])
      const ready = await child.waitFor(/^ready /)
      peerId ??= ready.split(' ')[1]
      expect(ready.split(' ')[1]).toBe(peerId)
      await child.waitFor(new RegExp(`^sent (?:[0-9a-f]{32}) \\d+$`))
      while (child.lines.filter((l) => l.startsWith('sent ')).length < threshold) await new Promise((resolve) => setTimeout(resolve, 2))
      child.proc.kill('SIGKILL')
      await child.exited
      const sent = child.lines.filter((l) => /^sent [0-9a-f]{32} \d+$/.test(l)).map((l) => l.split(' '))
      for (const [, id, lamport] of sent) {
        expect(Number(lamport), `round ${round}`).toBeGreaterThan(maxLamport)
        maxLamport = Number(lamport)
        reported.set(id, maxLamport)
      }

      const profile = await openProfile({ dataDir })
      expect(profile.peerId).toBe(peerId)
      const found = await profile.store.getMessages(ROOM, [...reported.keys()])
      expect(found.length).toBe(reported.size)
      const all = await profile.store.loadRecent(ROOM, 100_000)
      const ids = all.map((e) => e.message.messageId)
      expect(new Set(ids).size).toBe(ids.length)
      const own = all.filter((e) => e.message.senderId === peerId)
      expect(own.length - reported.size).toBeLessThanOrEqual(round + 1) // at most one durable-but-unreported message per crash
      const loaded = await profile.store.loadRoom(ROOM, { messages: 100_000 })
      const channel = ReliableChannel.fromSnapshot(profile.peerId, ROOM, {}, loaded.restore, Date.now())
      const settled = loaded.state?.lamport ?? -1
      const unacked = new Set((loaded.restore.unacked ?? []).map((u) => u.messageId))
      for (const entry of own) if (entry.message.lamport > settled) expect(unacked.has(entry.message.messageId)).toBe(true)
      expect(channel.status().lamport).toBeGreaterThanOrEqual(maxLamport)
      expect(channel.send(new TextEncoder().encode('probe'), 0).lamport).toBeGreaterThan(maxLamport)
      await profile.close()
    }
  })
})
