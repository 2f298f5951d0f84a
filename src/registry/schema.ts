/**
 * The registry schema, checked by hand over the YAML document so every
 * finding keeps its line and column: `created` (unix seconds), `url`, and
 * `rooms` (or PeerPrint's alias `queues`), a list of rooms with unique names.
 */

import { isMap, isSeq, visit } from 'yaml'
import type { Document } from 'yaml'
import { MAX_PLAUSIBLE_CREATED_SECONDS } from './constants.js'
import { optionalUrl, unixSeconds } from './fields.js'
import { checkRoom } from './schema-room.js'
import { describeNode, entriesOf, offsetOf } from './yaml-nodes.js'
import type { Issues } from './issues.js'
import type { CheckedRoom } from './schema-room.js'
import type { Entry } from './yaml-nodes.js'
import type { Registry } from './types.js'

/** The keys a registry may have at the top level. `rooms` is canonical; `queues` is PeerPrint's name. */
export const REGISTRY_KEYS = ['created', 'url', 'rooms', 'queues'] as const

/** The outcome of `checkRegistry`: a registry when there were no errors. */
export interface SchemaResult {
  registry?: Registry
  /** The root is not a mapping at all: probably not a registry (or not YAML). */
  notAMapping: boolean
}

function rejectAliases (doc: Document, issues: Issues): boolean {
  let found = false
  visit(doc, {
    Alias (_key, node) {
      found = true
      issues.error(offsetOf(node, 0), 'YAML aliases (*name) are not allowed in a registry')
    }
  })
  return found
}

function roomsEntry (issues: Issues, entries: Map<string, Entry>, rootOffset: number): Entry | undefined {
  const rooms = entries.get('rooms')
  const queues = entries.get('queues')
  if (rooms !== undefined && queues !== undefined) {
    const later = rooms.keyOffset > queues.keyOffset ? rooms : queues
    issues.error(later.keyOffset, 'use "rooms" or its alias "queues", not both')
    return undefined
  }
  const entry = rooms ?? queues
  if (entry === undefined) issues.error(rootOffset, 'missing "rooms" (the list of rooms)')
  return entry
}

function checkRooms (issues: Issues, entry: Entry): CheckedRoom[] | undefined {
  if (!isSeq(entry.value)) {
    issues.error(entry.valueOffset, `${entry.key} must be a list of rooms, got ${describeNode(entry.value)}`)
    return undefined
  }
  if (entry.value.items.length === 0) issues.warn(entry.valueOffset, `${entry.key} is empty: the registry lists no rooms`)
  const checked: CheckedRoom[] = []
  const byName = new Map<string, CheckedRoom>()
  const byRendezvous = new Map<string, CheckedRoom>()
  let ok = true
  entry.value.items.forEach((node, i) => {
    const room = checkRoom(issues, node, i, entry.valueOffset)
    if (room === undefined) { ok = false; return }
    const { name, rendezvous } = room.room
    const first = byName.get(name)
    if (first !== undefined) {
      issues.error(room.nameOffset, `room ${JSON.stringify(name)}: duplicate name (first defined at line ${issues.lineOf(first.nameOffset)})`)
      ok = false
      return
    }
    byName.set(name, room)
    const same = byRendezvous.get(rendezvous)
    if (same !== undefined) issues.warn(room.rendezvousOffset, `room ${JSON.stringify(name)}: same rendezvous as room ${JSON.stringify(same.room.name)}; they are one room on the network`)
    else byRendezvous.set(rendezvous, room)
    checked.push(room)
  })
  return ok ? checked : undefined
}

/** Checks a parsed YAML document against the registry schema, recording findings on `issues`. */
export function checkRegistry (doc: Document, issues: Issues): SchemaResult {
  const root = doc.contents
  if (!isMap(root)) {
    issues.error(offsetOf(root, 0), root === null
      ? 'the registry is empty'
      : `not a registry: expected a YAML mapping with "created" and "rooms", got ${describeNode(root)}`)
    return { notAMapping: root !== null }
  }
  if (rejectAliases(doc, issues)) return { notAMapping: false }
  const rootOffset = offsetOf(root, 0)
  const entries = new Map<string, Entry>()
  for (const entry of entriesOf(root, rootOffset)) {
    entries.set(entry.key, entry)
    if (!(REGISTRY_KEYS as readonly string[]).includes(entry.key)) issues.warn(entry.keyOffset, `unknown key ${JSON.stringify(entry.key)} (ignored)`)
  }
  const createdEntry = entries.get('created')
  if (createdEntry === undefined) issues.error(rootOffset, 'missing "created" (unix seconds)')
  const created = createdEntry === undefined
    ? undefined
    : unixSeconds({ issues, value: createdEntry.value, offset: createdEntry.valueOffset, label: 'created' }, MAX_PLAUSIBLE_CREATED_SECONDS)
  const urlEntry = entries.get('url')
  const url = optionalUrl({ issues, value: urlEntry?.value, offset: urlEntry?.valueOffset ?? rootOffset, label: 'url' })
  const roomsAt = roomsEntry(issues, entries, rootOffset)
  const rooms = roomsAt === undefined ? undefined : checkRooms(issues, roomsAt)
  if (issues.errors.length > 0 || created === undefined || rooms === undefined) return { notAMapping: false }
  const registry: Registry = { created, ...(url === undefined ? {} : { url }), rooms: rooms.map(r => r.room) }
  return { registry, notAMapping: false }
}
