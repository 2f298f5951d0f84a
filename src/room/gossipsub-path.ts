/**
 * Gossipsub as a broadcast path: the topic subscription, its validator (the room's
 * checks run before gossipsub forwards a copy), delivery of accepted copies, topic
 * membership and clean leaves from subscription changes, and publishing.
 */
import { TopicValidatorResult, type Message, type SignedMessage, type SubscriptionChangeData } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import type { ReliableMessage } from '../reliability/index.js'
import type { ChatNode } from '../node/create-node.js'
import { hasOutboundStream, isFollowing, onOutboundStream } from '../node/gossipsub-restart.js'
import type { BroadcastPath, PathHandler, PathVerdict } from './broadcast-path.js'
import { recordFromGossip } from './signed-record.js'
import { TopicPeers } from './topic-peers.js'

const VERDICTS: Record<PathVerdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject
}

/** The gossipsub broadcast path of one topic. */
export class GossipsubPath implements BroadcastPath {
  readonly name = 'gossipsub'
  readonly topicPeers: TopicPeers
  private handler?: PathHandler
  /** Messages the validator accepted, converted for the core once. */
  private readonly checked = new WeakMap<Message, ReliableMessage>()

  private stopStreamListener?: () => void

  constructor (private readonly node: ChatNode, private readonly topic: string, private readonly options: { publish: boolean } = { publish: true }) {
    const pubsub = node.services.pubsub
    // Without the stream follower no stream-open is heard, so a subscriber joins at once (as upstream).
    const following = isFollowing(pubsub)
    this.topicPeers = new TopicPeers(pubsub, topic,
      peer => node.getConnections().every(c => c.remotePeer.toString() !== peer),
      peer => !following || hasOutboundStream(pubsub, peer))
  }

  async start (handler: PathHandler): Promise<void> {
    this.handler = handler
    const pubsub = this.node.services.pubsub
    pubsub.topicValidators.set(this.topic, (_peer, msg) => this.validate(msg))
    pubsub.addEventListener('message', this.onMessage)
    pubsub.addEventListener('subscription-change', this.onSubscriptionChange)
    this.node.addEventListener('peer:disconnect', this.onDisconnect)
    // A subscriber we could not send to yet joins when our stream to it opens.
    this.stopStreamListener = onOutboundStream(pubsub, () => { this.refresh() })
    pubsub.subscribe(this.topic)
    // Peers already known to be in the topic (a room switch into a topic others are in) send no
    // subscription change: read them now.
    this.refresh()
  }

  async publish (_msg: ReliableMessage, bytes: Uint8Array): Promise<number> {
    // RainTree alone: gossipsub only tells who is in the room (and takes what others publish on it).
    if (!this.options.publish) return 0
    const result = await this.node.services.pubsub.publish(this.topic, bytes)
    return result.recipients.length
  }

  peers (): string[] {
    return this.topicPeers.list()
  }

  canSendTo (peerId: string): boolean {
    return hasOutboundStream(this.node.services.pubsub, peerId)
  }

  async stop (): Promise<void> {
    const pubsub = this.node.services.pubsub
    pubsub.removeEventListener('message', this.onMessage)
    pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
    this.stopStreamListener?.()
    pubsub.topicValidators.delete(this.topic)
    try { pubsub.unsubscribe(this.topic) } catch {}
    this.handler = undefined
  }

  private validate (msg: Message): TopicValidatorResult {
    if (this.handler === undefined) return TopicValidatorResult.Ignore
    const { verdict, msg: core } = this.handler.check(msg.data, msg.type === 'signed' ? msg.from : undefined)
    if (verdict === 'accept' && core !== undefined) this.checked.set(msg, core)
    return VERDICTS[verdict]
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    if (msg.topic !== this.topic || msg.type !== 'signed') return
    const core = this.checked.get(msg)
    if (core === undefined) return
    this.handler?.deliver({ msg: core, record: recordFromGossip(msg as SignedMessage) })
  }

  /**
   * A peer's subscriptions changed. An unsubscribe from our topic over a live connection is
   * that peer's clean leave (a room switch or a quit), said on the same ordered stream as its
   * messages: the roster drops it at once, whether or not its presence leave record arrives.
   */
  private readonly onSubscriptionChange = (evt: CustomEvent<SubscriptionChangeData>): void => {
    const { peerId, subscriptions } = evt.detail
    if (subscriptions.some(s => s.topic === this.topic && !s.subscribe)) this.handler?.departed(peerId.toString())
    this.refresh()
  }

  /** A peer that disconnected has left, whatever gossipsub's topic map still says at this moment. */
  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.topicPeers.drop(evt.detail.toString())
    this.refresh()
  }

  private refresh (): void {
    this.topicPeers.refresh()
    this.handler?.membership()
  }
}
