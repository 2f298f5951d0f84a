/**
 * Validation of one room of a registry: `name`, `desc`, `url`, `rendezvous`,
 * `trustedPeers` and `private`. Unknown keys become warnings.
 */

import { isMap, isSeq } from 'yaml'
import { MAX_DESC_LENGTH, MAX_RENDEZVOUS_LENGTH, MAX_ROOM_NAME_LENGTH } from './constants.js'
import { nonEmptyString, optionalString, optionalUrl, peerIdText } from './fields.js'
import { describeNode, entriesOf, isNullish, offsetOf, stringValue } from './yaml-nodes.js'
import type { Issues } from './issues.js'
import type { Entry } from './yaml-nodes.js'
import type { RegistryRoom } from './types.js'

/** The keys a room may have. */
export const ROOM_KEYS = ['name', 'desc', 'url', 'rendezvous', 'trustedPeers', 'private'] as const

/** A validated room plus where its name and rendezvous are, for cross-room checks. */
export interface CheckedRoom {
  room: RegistryRoom
  nameOffset: number
  rendezvousOffset: number
}

function roomLabel (index: number, nameNode: unknown): string {
  const name = stringValue(nameNode)
  return name !== undefined && name.trim() !== '' ? `room ${JSON.stringify(name)}` : `rooms[${index}]`
}

function trustedPeers (issues: Issues, entry: Entry | undefined, label: string): string[] | undefined {
  if (entry === undefined || isNullish(entry.value)) return []
  const list = entry.value
  if (!isSeq(list)) {
    issues.error(entry.valueOffset, `${label}: trustedPeers must be a list of peer ids, got ${describeNode(list)}`)
    return undefined
  }
  const peers: string[] = []
  let ok = true
  list.items.forEach((item, i) => {
    const offset = offsetOf(item, entry.valueOffset)
    const id = peerIdText({ issues, value: item, offset, label: `${label}: trustedPeers[${i}]` })
    if (id === undefined) { ok = false; return }
    if (peers.includes(id)) issues.warn(offset, `${label}: trustedPeers lists ${id} more than once`)
    else peers.push(id)
  })
  return ok ? peers : undefined
}

/** Validates `rooms[index]`; undefined when it has errors (recorded on `issues`). */
export function checkRoom (issues: Issues, node: unknown, index: number, listOffset: number): CheckedRoom | undefined {
  const offset = offsetOf(node, listOffset)
  if (!isMap(node)) {
    issues.error(offset, `rooms[${index}] must be a mapping, got ${describeNode(node)}`)
    return undefined
  }
  const entries = new Map<string, Entry>()
  for (const entry of entriesOf(node, offset)) entries.set(entry.key, entry)
  const label = roomLabel(index, entries.get('name')?.value)
  for (const entry of entries.values()) {
    if (!(ROOM_KEYS as readonly string[]).includes(entry.key)) issues.warn(entry.keyOffset, `${label}: unknown key ${JSON.stringify(entry.key)} (ignored)`)
  }
  const field = (key: string): { issues: Issues, value: unknown, offset: number, label: string } => {
    const e = entries.get(key)
    return { issues, value: e?.value, offset: e?.valueOffset ?? offset, label: `${label}: ${key}` }
  }
  const errorsBefore = issues.errors.length
  const required = (key: string): boolean => {
    if (entries.has(key)) return true
    issues.error(offset, `${label}: missing ${JSON.stringify(key)}`)
    return false
  }
  const name = required('name') ? nonEmptyString(field('name'), MAX_ROOM_NAME_LENGTH, true) : undefined
  const rendezvous = required('rendezvous') ? nonEmptyString(field('rendezvous'), MAX_RENDEZVOUS_LENGTH) : undefined
  const desc = optionalString(field('desc'), MAX_DESC_LENGTH, '')
  const url = optionalUrl(field('url'))
  const peers = trustedPeers(issues, entries.get('trustedPeers'), label)
  const privateEntry = entries.get('private')
  const isPrivate = privateEntry === undefined || isNullish(privateEntry.value) ? false : booleanValue(privateEntry.value)
  if (isPrivate === undefined) issues.error(privateEntry?.valueOffset ?? offset, `${label}: private must be true or false, got ${describeNode(privateEntry?.value)}`)
  if (issues.errors.length > errorsBefore || name === undefined || rendezvous === undefined || desc === undefined || peers === undefined) return undefined
  const room: RegistryRoom = { name, desc, ...(url === undefined ? {} : { url }), rendezvous, trustedPeers: peers, ...(isPrivate === true ? { private: true } : {}) }
  return { room, nameOffset: field('name').offset, rendezvousOffset: field('rendezvous').offset }
}

/** A YAML boolean scalar's value; undefined for anything else (a string "true" included). */
function booleanValue (node: unknown): boolean | undefined {
  const value = (node as { value?: unknown } | null)?.value
  return typeof value === 'boolean' ? value : undefined
}
