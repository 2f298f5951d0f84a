/**
 * Invites to a private room: `p2pchat:room/<name>#<base64url key>`, a string a person can paste.
 * Parsing never throws; a bad invite comes back as one line in our own words.
 */
import { base64url } from 'multiformats/bases/base64'
import { INVITE_PREFIX, MAX_INVITE_NAME, ROOM_KEY_BYTES } from './constants.js'

/** A private room as an invite names it. */
export interface Invite { name: string, key: Uint8Array }

const NAME = /^[^\s#/]+$/

/** The rule a private room's name follows (in invites, and for `/create`). */
export const PRIVATE_NAME_RULE = `no spaces, "#" or "/", at most ${MAX_INVITE_NAME} characters`

/** True when `name` can name a private room (and so stand in an invite). */
export function isPrivateRoomName (name: string): boolean {
  return NAME.test(name) && name.length <= MAX_INVITE_NAME
}

/** The invite string of a room. */
export function formatInvite (invite: Invite): string {
  if (!isPrivateRoomName(invite.name)) throw new Error(`a private room's name has ${PRIVATE_NAME_RULE}`)
  if (invite.key.byteLength !== ROOM_KEY_BYTES) throw new Error(`a room key is ${ROOM_KEY_BYTES} bytes`)
  return `${INVITE_PREFIX}${invite.name}#${base64url.baseEncode(invite.key)}`
}

/** True when `text` looks like an invite (to tell it from a room name). */
export function isInvite (text: string): boolean {
  return text.trim().startsWith(INVITE_PREFIX)
}

/** The room an invite names, or why it is not one. */
export function parseInvite (text: string): { ok: true, invite: Invite } | { ok: false, detail: string } {
  const trimmed = text.trim()
  if (!trimmed.startsWith(INVITE_PREFIX)) return { ok: false, detail: `an invite starts with ${INVITE_PREFIX}` }
  const rest = trimmed.slice(INVITE_PREFIX.length)
  const hash = rest.indexOf('#')
  if (hash < 0) return { ok: false, detail: 'this invite has no key (the part after "#"); ask for the whole invite' }
  const name = rest.slice(0, hash)
  if (!isPrivateRoomName(name)) return { ok: false, detail: `the room name in this invite is not valid (${PRIVATE_NAME_RULE})` }
  let key: Uint8Array
  try {
    key = base64url.baseDecode(rest.slice(hash + 1))
  } catch {
    return { ok: false, detail: 'the key in this invite is damaged (not base64url); ask for it again' }
  }
  if (key.byteLength !== ROOM_KEY_BYTES) return { ok: false, detail: `the key in this invite is ${key.byteLength} bytes, not ${ROOM_KEY_BYTES}; ask for it again` }
  return { ok: true, invite: { name, key } }
}
