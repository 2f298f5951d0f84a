/**
 * Checks of the reliability guarantees over a model network run, returning
 * human-readable problems (empty = holds): exactly-once delivery, causal delivery
 * on every peer, and identical canonical order (`history()`) everywhere.
 */
import type { DeliveredEvent } from '../reliability/index.js'
import type { MessageId } from '../reliability/index.js'
import type { ModelNetwork, SimNode } from './model-network.js'

/** No message delivered twice by one incarnation, and every id in `expected` delivered. */
export function checkExactlyOnce (node: SimNode, expected: Iterable<MessageId>): string[] {
  const problems: string[] = []
  const seen = new Set<MessageId>()
  for (const event of node.delivered) {
    const id = event.message.messageId
    if (seen.has(id)) problems.push(`${node.id}: ${id} delivered twice`)
    seen.add(id)
  }
  for (const id of expected) if (!seen.has(id)) problems.push(`${node.id}: ${id} never delivered`)
  return problems
}

/**
 * Every dependency of a delivered message was delivered before it at this node,
 * unless the delivery reported it as a gap (declared lost) or beyond the catch-up bound.
 */
export function checkCausality (node: SimNode): string[] {
  const problems: string[] = []
  const position = new Map<MessageId, number>()
  node.delivered.forEach((event, index) => position.set(event.message.messageId, index))
  node.delivered.forEach((event: DeliveredEvent, index) => {
    const excused = new Set([...(event.gapBefore ?? []), ...(event.beyondCatchUp ?? [])])
    for (const entry of event.message.causalHistory) {
      const dep = entry.messageId
      if (excused.has(dep)) continue
      const at = position.get(dep)
      if (at === undefined || at > index) {
        problems.push(`${node.id}: ${event.message.messageId} delivered before its dependency ${dep}`)
      }
    }
  })
  return problems
}

/** All live nodes' `history()` lists the same ids in the same order. */
export function checkCanonicalAgreement (net: ModelNetwork, nodes: SimNode[] = net.all().filter((n) => n.alive)): string[] {
  if (nodes.length === 0) return []
  const reference = nodes[0].channel.history().map((m) => m.messageId).join(',')
  const problems: string[] = []
  for (const node of nodes.slice(1)) {
    const ids = node.channel.history().map((m) => m.messageId).join(',')
    if (ids !== reference) problems.push(`${node.id}: history differs from ${nodes[0].id}`)
  }
  return problems
}

/** All three checks for every live node against every sent message. */
export function checkAll (net: ModelNetwork): string[] {
  const expected = [...net.sent.keys()]
  const problems: string[] = []
  for (const node of net.all()) {
    if (!node.alive) continue
    problems.push(...checkExactlyOnce(node, expected), ...checkCausality(node))
  }
  problems.push(...checkCanonicalAgreement(net))
  return problems
}
