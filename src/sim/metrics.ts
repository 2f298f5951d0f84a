/**
 * Counters the model network keeps while it runs (message counts, copies, faults,
 * pulls, resends). Byte estimates are left to the wire layer.
 */
import type { MessageKind } from '../reliability/index.js'

/** Totals over one simulation run. */
export interface NetworkMetrics {
  /** Content messages sent by applications. */
  sent: number
  /** Messages broadcast (sends, resends, syncs, ephemerals). */
  broadcasts: number
  byKind: Record<MessageKind, number>
  /** Content broadcasts that were resends. */
  resends: number
  /** Per-recipient copies attempted. */
  copies: number
  /** Copies lost to drops, partitions, crashes or the filter hook. */
  copiesDropped: number
  /** RainTree copies sent (tree sends, adjustments, redundancy copies; included in `copies`). */
  treeCopies: number
  /** RainTree ACKs sent. */
  treeAcks: number
  /** Extra copies created by duplication. */
  duplicated: number
  /** Content deliveries (all nodes). */
  deliveries: number
  /** Pull requests made. */
  pullRequests: number
  /** Requests or answers lost in transit. */
  pullsDropped: number
  /** Requests with no reachable target. */
  pullsUnreachable: number
  /** Answers that reached their requester. */
  pullAnswers: number
  /** Messages carried by answers. */
  pulledMessages: number
  /** Ids declared lost (all nodes). */
  lostDeclared: number
  /** Channel events seen. */
  events: number
  /** Encoded bytes put on the wire per kind of traffic (only with a `sizer`; copies cut off by a partition are not sent). */
  bytes: WireBytes
}

/** Bytes on the wire by kind of traffic. */
export interface WireBytes {
  /** Content messages (first sends and resends), all copies. */
  content: number
  /** The content (application payload) part of `content`. */
  payload: number
  sync: number
  ephemeral: number
  pullRequests: number
  pullAnswers: number
}

/** A zeroed metrics record. */
export function emptyMetrics (): NetworkMetrics {
  return {
    sent: 0,
    broadcasts: 0,
    byKind: { content: 0, sync: 0, ephemeral: 0 },
    resends: 0,
    copies: 0,
    copiesDropped: 0,
    treeCopies: 0,
    treeAcks: 0,
    duplicated: 0,
    deliveries: 0,
    pullRequests: 0,
    pullsDropped: 0,
    pullsUnreachable: 0,
    pullAnswers: 0,
    pulledMessages: 0,
    lostDeclared: 0,
    events: 0,
    bytes: { content: 0, payload: 0, sync: 0, ephemeral: 0, pullRequests: 0, pullAnswers: 0 }
  }
}
