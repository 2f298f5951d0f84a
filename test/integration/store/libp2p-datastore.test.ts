/**
 * The profile's datastore as libp2p's datastore: the peer store persists in it next to
 * the chat records, so a restarted node (same key, same profile) still knows a peer's
 * addresses and can dial it by PeerId alone.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'
import { describe, expect, it } from 'vitest'
import { ReliableChannel } from '../../../src/reliability/index.js'
import { openProfile } from '../../../src/store/index.js'
import { bytes, ROOM, tempDir } from '../../unit/store/helpers.js'

async function node (privateKey?: PrivateKey, datastore?: Datastore): Promise<Libp2p> {
  return await createLibp2p({
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(datastore !== undefined ? { datastore } : {}),
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
}

async function until (check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('libp2p on the profile datastore', () => {
  it('the peer store survives a restart and the known peer is re-dialled by id', async () => {
    const dataDir = await tempDir()
    const other = await node()
    try {
      let profile = await openProfile({ dataDir })
      let self = await node(profile.privateKey, profile.datastore)
      await profile.store.appendOwn(ROOM, new ReliableChannel(profile.peerId, ROOM).send(bytes('before'), Date.now()))
      await self.dial(other.getMultiaddrs()[0])
      await until(async () => (await self.peerStore.get(other.peerId).catch(() => undefined))?.addresses.length !== undefined &&
        (await self.peerStore.get(other.peerId)).protocols.length > 0)
      await self.stop()
      await profile.close()

      profile = await openProfile({ dataDir })
      self = await node(profile.privateKey, profile.datastore)
      expect(self.peerId.toString()).toBe(profile.peerId)
      const known = await self.peerStore.get(other.peerId)
      expect(known.addresses.map((a) => a.multiaddr.toString())).toContain(other.getMultiaddrs()[0].toString().replace(/\/p2p\/.*$/, ''))
      const conn = await self.dial(other.peerId) // no address given: from the persisted peer store
      expect(conn.remotePeer.equals(other.peerId)).toBe(true)
      expect((await profile.store.loadRecent(ROOM, 10)).length).toBe(1)
      await self.stop()
      await profile.close()
    } finally {
      await other.stop()
    }
  })
})
