/**
 * Scenario vectors played against one real reliability core (bob's): which ids go into a
 * causal history (causal-history.json) and how the Lamport clock moves (lamport.json).
 * Each step is recorded with what bob's core answered, so a second implementation can
 * replay the same steps and compare.
 */
import { ReliableChannel, type ReceiveResult, type ReliableMessage } from '../../../src/reliability/index.js'
import { encodeChatContent } from '../../../src/wire/index.js'
import { hex, identities, NOW, TOPIC, type VectorFile } from './common.js'

/** A message as a scenario step carries it (no bloom filter: it only feeds acknowledgements). */
export interface StepMessage {
  kind: ReliableMessage['kind']
  messageId: string
  senderId: string
  lamport: number
  causalHistory: string[]
  contentHex: string
}

/** One step of a scenario and what bob's core answered. */
export type Step =
  | { op: 'receive', label: string, now: number, message: StepMessage, expect: { result: ReceiveResult, lamport: number } }
  | { op: 'send', label: string, now: number, kind: 'content' | 'ephemeral', contentHex: string,
    expect: { messageId: string, lamport: number, causalHistory: string[] } }

/** The core message of a step message (empty bloom filter, no hints). */
export function coreMessage (m: StepMessage): ReliableMessage {
  return {
    kind: m.kind,
    messageId: m.messageId,
    senderId: m.senderId,
    channelId: TOPIC,
    lamport: m.lamport,
    causalHistory: m.causalHistory.map(messageId => ({ messageId })),
    bloomFilter: new Uint8Array(0),
    content: Buffer.from(m.contentHex, 'hex')
  }
}

function stepMessage (msg: ReliableMessage): StepMessage {
  return {
    kind: msg.kind,
    messageId: msg.messageId,
    senderId: msg.senderId,
    lamport: msg.lamport,
    causalHistory: msg.causalHistory.map(h => h.messageId),
    contentHex: hex(msg.content)
  }
}

/** Records steps while playing them on bob's channel. */
class Script {
  readonly steps: Step[] = []
  readonly labels = new Map<string, string>()
  constructor (readonly bob: ReliableChannel, readonly startAt: number) {
    bob.tick(startAt)
  }

  receive (label: string, msg: ReliableMessage, now: number): void {
    this.labels.set(msg.messageId, label)
    const message = stepMessage(msg)
    const result = this.bob.receive(coreMessage(message), now)
    this.steps.push({ op: 'receive', label, now, message, expect: { result, lamport: this.bob.status().lamport } })
  }

  send (label: string, kind: 'content' | 'ephemeral', content: Uint8Array, now: number): void {
    const msg = kind === 'content' ? this.bob.send(content, now) : this.bob.sendEphemeral(content, now)
    this.labels.set(msg.messageId, label)
    this.steps.push({
      op: 'send',
      label,
      now,
      kind,
      contentHex: hex(content),
      expect: { messageId: msg.messageId, lamport: msg.lamport, causalHistory: msg.causalHistory.map(h => h.messageId) }
    })
  }

  toCase (name: string, note: string): object {
    return { name, note, receiver: 'bob', startAt: this.startAt, steps: this.steps }
  }
}

const say = (nick: string, text: string): Uint8Array => encodeChatContent({ nick, text, action: false })

/** causal-history.json */
export async function buildCausalHistory (): Promise<VectorFile> {
  const { alice, bob, carol } = await identities()

  const plain = new Script(new ReliableChannel(bob.id, TOPIC), NOW)
  const a = new ReliableChannel(alice.id, TOPIC)
  a.tick(NOW)
  for (let i = 1; i <= 12; i++) plain.receive(`a${i}`, a.send(say('alice', `a${i}`), NOW + i * 100), NOW + i * 100 + 10)
  plain.send('b1', 'content', say('bob', 'b1'), NOW + 2000)
  plain.send('b2', 'content', say('bob', 'b2'), NOW + 2100)

  const heads = new Script(new ReliableChannel(bob.id, TOPIC), NOW)
  const c = new ReliableChannel(carol.id, TOPIC)
  const a2 = new ReliableChannel(alice.id, TOPIC)
  c.tick(NOW)
  a2.tick(NOW)
  heads.receive('c1', c.send(say('carol', 'c1'), NOW), NOW + 10)
  for (let i = 1; i <= 12; i++) heads.receive(`a${i}`, a2.send(say('alice', `a${i}`), NOW + i * 100), NOW + i * 100 + 10)
  heads.send('b1', 'content', say('bob', 'b1'), NOW + 2000)

  return {
    description: 'Which ids a message\'s causal_history names. Replay the steps on a fresh core for the receiver (its first clock ' +
      'reading is startAt) and compare each send\'s history, oldest first. Rule: take every head (a delivered content message that no ' +
      'delivered message names yet; at most 10, the oldest dropped beyond), add the most recently delivered messages, newest first, ' +
      'until there are 10 ids, then send them in local delivery order, oldest first. Own messages count (they are delivered when sent); ' +
      'sync and ephemeral messages never do. Labels name the messages for reading; they are not on the wire.',
    cases: [
      plain.toCase('one sender: the last 10 delivered, then own messages count too',
        'a1..a12 each name their predecessors, so the only head is a12: b1 names a3..a12; b2 names a4..a12 and b1.'),
      heads.toCase('a head is kept even when it is older than the last 10',
        'alice never saw c1, so nothing names it and it stays a head: b1 names c1 and a4..a12 (c1 first: it was delivered first), not a3..a12.')
    ]
  }
}

/** lamport.json */
export async function buildLamport (): Promise<VectorFile> {
  const { alice, bob, carol } = await identities()
  const s = new Script(new ReliableChannel(bob.id, TOPIC), NOW)
  const a = new ReliableChannel(alice.id, TOPIC)
  const c = new ReliableChannel(carol.id, TOPIC)
  a.tick(NOW)
  c.tick(NOW)

  s.send('own content: max(now, 0 + 1) = now', 'content', say('bob', 'one'), NOW)
  s.send('own ephemeral in the same ms: the same clock, last + 1', 'ephemeral', Uint8Array.of(0x0a, 0x00), NOW)
  const ahead = a.send(say('alice', 'ahead'), NOW + 10_000)
  s.receive('delivered content 10 s ahead raises the clock to its value', ahead, NOW + 100)
  s.send('own content: last + 1 beats now', 'content', say('bob', 'two'), NOW + 200)
  a.drainOutgoing()
  a.tick(NOW + 70_000)
  const sync = a.drainOutgoing().find(m => m.kind === 'sync')
  if (sync === undefined) throw new Error('no sync message')
  s.receive('a sync message does not raise the clock', sync, NOW + 300)
  s.receive('an ephemeral message does not raise the clock', a.sendEphemeral(Uint8Array.of(0x0a, 0x00), NOW + 80_000), NOW + 400)
  const hidden = c.send(say('carol', 'hidden'), NOW + 85_000)
  a.receive(hidden, NOW + 85_000)
  const waiting = a.send(say('alice', 'after hidden'), NOW + 90_000)
  s.receive('content waiting for a missing dependency does not raise the clock (yet)', waiting, NOW + 500)
  s.receive('delivering the dependency releases the waiting message: the clock takes the highest delivered value', hidden, NOW + 600)
  s.send('own ephemeral after that', 'ephemeral', Uint8Array.of(0x0a, 0x00), NOW + 700)
  const far = new ReliableChannel(carol.id, TOPIC)
  far.tick(NOW)
  s.receive('content more than 5 min ahead of our now is dropped (clock-skew) and changes nothing', far.send(say('carol', 'future'), NOW + 700 + 300_001), NOW + 700)
  return {
    description: 'How one peer\'s Lamport clock moves (bob\'s; replay on a fresh core, first clock reading startAt). Every own message ' +
      '(content, sync, ephemeral) takes max(now, last + 1), where last is the highest value the clock holds: own values issued and ' +
      'the Lamport values of delivered content messages (raised when delivered, not when buffered). Received sync and ephemeral ' +
      'messages never raise it. expect.lamport after a receive is the clock value then (ChannelStatus.lamport).',
    cases: [s.toCase('one clock for everything', 'Values are ms since the Unix epoch; startAt is 2026-01-01T00:00:00Z.')]
  }
}
