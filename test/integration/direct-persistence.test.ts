/**
 * Direct messages kept in the profile: a message to a peer that is offline survives the sender's
 * restart (LevelDB on disk), goes out once the peer comes, and is ✓ in both profiles' history;
 * the ignore list is kept too. The store's records come back after a reopen.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { openStore, type ChatStore } from '../../src/store/index.js'
import type { DirectLine } from '../../src/direct/index.js'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'
import { tempDir } from '../unit/store/helpers.js'

let peers: TestPeer[] = []
let stores: ChatStore[] = []
afterEach(async () => {
  await stopAll(peers)
  peers = []
  for (const s of stores) await s.close().catch(() => {})
  stores = []
})

async function withStore (path: string, key: PrivateKey, nick: string, bootstrap: string[] = []): Promise<{ peer: TestPeer, store: ChatStore, dms: DirectLine[] }> {
  const store = await openStore({ profile: nick, path })
  stores.push(store)
  const peer = await startPeer({ topic: 'dm-persist', nick, privateKey: key, store, bootstrap })
  peers.push(peer)
  const dms: DirectLine[] = []
  peer.session.addEventListener('dm', evt => { dms.push(evt.detail) })
  return { peer, store, dms }
}

describe('direct messages in the profile', () => {
  it('a pending message survives the sender\'s restart and is delivered when the peer comes', async () => {
    const dir = await tempDir()
    const aliceKey = await generateKeyPair('Ed25519')
    const carolKey = await generateKeyPair('Ed25519')
    const carolId = peerIdFromPrivateKey(carolKey).toString()
    let alice = await withStore(join(dir, 'alice'), aliceKey, 'alice')
    const line = alice.peer.session.sendDirect(carolId, 'see you later')
    alice.peer.session.ignore('12D3KooWRNw2pJC9748Fmq4WNV27HoSTcX3r37132FLkQMrbKAiC')
    // Restart alice: stop, close her store, open it again.
    await alice.peer.session.stop()
    await alice.store.close()
    alice = await withStore(join(dir, 'alice'), aliceKey, 'alice')
    expect(alice.peer.session.directHistory(carolId, 10)).toMatchObject([{ id: line.id, own: true, state: 'pending', text: 'see you later' }])
    expect(alice.peer.session.ignored()).toEqual(['12D3KooWRNw2pJC9748Fmq4WNV27HoSTcX3r37132FLkQMrbKAiC'])
    const carol = await withStore(join(dir, 'carol'), carolKey, 'carol', [alice.peer.addr])
    await waitFor(() => carol.dms.some(d => d.id === line.id), 'the message at carol', 20_000)
    await waitFor(() => alice.peer.session.directHistory(carolId, 10)[0]?.state === 'delivered', 'delivered (✓) in alice\'s history')
    expect(carol.peer.session.directHistory(alice.peer.session.peerId, 10)).toMatchObject([{ id: line.id, own: false, text: 'see you later' }])
    expect(carol.dms.filter(d => d.id === line.id)).toHaveLength(1)
  }, 60_000)
})
