/**
 * A subscriber joins the room only once we can send it anything (our gossipsub stream to it
 * is open), so what the room sends a newcomer at once is not lost to a stream still opening.
 */
import { describe, expect, it } from 'vitest'
import type { GossipSub } from '@libp2p/gossipsub'
import { TopicPeers } from '../../../src/room/topic-peers.js'

/** A pubsub stand-in: only `getSubscribers` is read. */
function pubsubWith (subscribers: () => string[]): GossipSub {
  return { getSubscribers: () => subscribers().map(id => ({ toString: () => id })) } as unknown as GossipSub
}

describe('topic peers', () => {
  it('a subscriber joins when it becomes sendable, and stays while subscribed and connected', () => {
    let subscribers = ['bob', 'carol']
    const sendable = new Set(['bob'])
    const connected = new Set(['bob', 'carol'])
    const peers = new TopicPeers(pubsubWith(() => subscribers), 'x', p => !connected.has(p), p => sendable.has(p))
    expect(peers.refresh()).toEqual({ joined: ['bob'], left: [] })
    sendable.add('carol')
    expect(peers.refresh()).toEqual({ joined: ['carol'], left: [] })
    // bob's stream is being moved to a newer connection: he does not leave meanwhile.
    sendable.delete('bob')
    expect(peers.refresh()).toEqual({ joined: [], left: [] })
    connected.delete('carol')
    expect(peers.refresh()).toEqual({ joined: [], left: ['carol'] })
    subscribers = []
    expect(peers.refresh()).toEqual({ joined: [], left: ['bob'] })
  })
})
