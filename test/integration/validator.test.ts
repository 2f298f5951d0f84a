/**
 * The topic validator refuses what the reliability core would refuse, before gossipsub
 * forwards it: a message whose id is not its hash reaches the first honest peer and no further.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createChatNode, type ChatNode } from '../../src/node/create-node.js'
import { ReliableChannel } from '../../src/reliability/index.js'
import { toWireMessage } from '../../src/room/core-adapter.js'
import { encodeChatContent, encodeChatMessage } from '../../src/wire/index.js'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

let peers: TestPeer[] = []
let raw: ChatNode | undefined
afterEach(async () => { await stopAll(peers); peers = []; await raw?.stop(); raw = undefined })

describe('the topic validator', () => {
  it('stops a message with a forged id at the first hop; a valid one published after it goes through', async () => {
    const middle = await startPeer({ topic: 'forged-id', nick: 'middle', room: { rendezvous: false } })
    const far = await startPeer({ topic: 'forged-id', nick: 'far', bootstrap: [middle.addr], room: { rendezvous: false } })
    peers.push(middle, far)
    raw = await createChatNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
    const topic = 'p2pchat/forged-id'
    raw.services.pubsub.subscribe(topic)
    await far.session.isolateFrom([raw.peerId.toString()])
    await raw.dial(middle.session.node.getMultiaddrs()[0])
    await waitFor(() => middle.session.node.services.pubsub.getSubscribers(topic).some(p => p.equals(raw?.peerId)) &&
      raw?.services.pubsub.getSubscribers(topic).some(p => p.toString() === middle.session.peerId) === true, 'the raw peer and middle subscribed to each other')

    const self = raw.peerId
    // One channel per line, so the valid line does not name the forged one as its predecessor.
    const wire = (text: string): ReturnType<typeof toWireMessage> =>
      toWireMessage(new ReliableChannel(self.toString(), topic).send(encodeChatContent({ nick: 'raw', text, action: false }), Date.now()), self)
    await raw.services.pubsub.publish(topic, encodeChatMessage({ ...wire('forged'), messageId: 'ffffffffffffffffffffffffffffffff' }))
    await raw.services.pubsub.publish(topic, encodeChatMessage(wire('valid')))
    await waitFor(() => far.texts().includes('valid'), 'the valid line at the far peer')
    expect(middle.session.status().dropped['bad-id']).toBe(1)
    expect(far.session.status().dropped['bad-id']).toBeUndefined()
    expect([...middle.texts(), ...far.texts()]).not.toContain('forged')
  })
})
