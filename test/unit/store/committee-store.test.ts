/**
 * The committee's durable state in the profile's LevelDB store: what each Ready saves comes back
 * after a reopen (a truncated log, a snapshot in place of the log, a compaction), a member that
 * restarts from it keeps its term and vote, and a damaged record is a clear STORE_CORRUPT.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RaftCore, type Entry, type Ready } from '../../../src/consensus/index.js'
import { KvCommitteeStorage, openStore } from '../../../src/store/index.js'
import { tempDir } from './helpers.js'

const entry = (index: number, term: number, text = `e${index}`): Entry => ({ index, term, kind: 'command', data: new TextEncoder().encode(text) })
const ready = (part: Partial<Ready>): Ready => ({ entries: [], committed: [], messages: [], ...part })

describe('KvCommitteeStorage', () => {
  it('saves each Ready durably and loads it back after a reopen', async () => {
    const path = join(await tempDir(), 'store')
    let store = await openStore({ profile: 't', path, now: () => 1 })
    let storage = new KvCommitteeStorage(store.kv, 'room-x')
    await storage.save(ready({ entries: [entry(1, 1), entry(2, 1), entry(3, 1)], hardState: { term: 1, vote: 'a', commit: 1 } }))
    // A new leader's entries replace the tail from index 3 on.
    await storage.save(ready({ entries: [entry(3, 2, 'new'), entry(4, 2)], hardState: { term: 2, commit: 2 } }))
    await store.close()
    store = await openStore({ profile: 't', path, now: () => 1 })
    storage = new KvCommitteeStorage(store.kv, 'room-x')
    expect(await storage.load()).toEqual({ hardState: { term: 2, commit: 2 }, entries: [entry(1, 1), entry(2, 1), entry(3, 2, 'new'), entry(4, 2)] })
    // Compaction keeps what follows; a leader's snapshot replaces everything.
    await storage.compacted({ index: 2, term: 1, members: ['a', 'b', 'c'], data: new Uint8Array([7]) })
    expect((await storage.load()).entries?.map(e => e.index)).toEqual([3, 4])
    await storage.save(ready({ snapshot: { index: 9, term: 3, members: ['a', 'b'], data: new Uint8Array([9]) } }))
    expect(await storage.load()).toEqual({ hardState: { term: 2, commit: 2 }, snapshot: { index: 9, term: 3, members: ['a', 'b'], data: new Uint8Array([9]) }, entries: [] })
    // Another room's committee is separate.
    expect(await new KvCommitteeStorage(store.kv, 'room-y').load()).toEqual({ entries: [] })
    await store.close()
  })

  it('a member restarted from it keeps its term and its vote, and applies the committed entries again', async () => {
    const store = await openStore({ profile: 't', path: join(await tempDir(), 'store'), now: () => 1 })
    const storage = new KvCommitteeStorage(store.kv, 'room-x')
    const solo = new RaftCore({ id: 'a', members: ['a'] }, 0)
    solo.tick(5_000)
    solo.propose(new TextEncoder().encode('title: hi'))
    await storage.save(solo.ready())
    const again = new RaftCore({ id: 'a', members: ['a'], storage: await storage.load() }, 10_000)
    expect(again.status()).toMatchObject({ term: 1, lastIndex: 2, commit: 2, role: 'follower' })
    expect(again.ready().committed.map(e => e.kind)).toEqual(['noop', 'command'])
    // It voted for itself in term 1: a request for a vote in term 1 from someone else is refused.
    const voter = new RaftCore({ id: 'a', members: ['a', 'b'], storage: await storage.load() }, 10_000)
    voter.step({ type: 'vote', from: 'b', to: 'a', term: 1, lastIndex: 9, lastTerm: 1 }, 10_000)
    expect(voter.ready().messages).toEqual([{ type: 'vote-response', from: 'a', to: 'b', term: 1, granted: false }])
    await store.close()
  })

  it('a damaged record is STORE_CORRUPT with a line of our own', async () => {
    const store = await openStore({ profile: 't', path: join(await tempDir(), 'store'), now: () => 1 })
    const storage = new KvCommitteeStorage(store.kv, 'room-x')
    await storage.save(ready({ entries: [entry(1, 1)], hardState: { term: 1, commit: 0 } }))
    const key = [...await collect(store.kv.keys({ prefix: '/p2pchat/' }))].find(k => k.endsWith('/c/hard')) as string
    await store.kv.write([{ type: 'put', key, value: new TextEncoder().encode('{"term": -1') }], true)
    await expect(storage.load()).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/^the profile's store is damaged: committee term and vote/) })
    await store.close()
  })
})

async function collect (it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = []
  for await (const k of it) out.push(k)
  return out
}
