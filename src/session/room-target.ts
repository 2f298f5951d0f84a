/**
 * What a `/join` (or `--join`, `--room`, `--topic`) names, resolved to the room to start: a
 * private room from an invite or from a key the profile holds, a registry room (a private one
 * needs its key), or a plain topic. An invite's key is saved in the profile before the room
 * starts, so a restart finds the room again.
 */
import { roomNames, MAX_ROOM_NAME_LENGTH, type RoomNames } from '../discovery/room-names.js'
import { isInvite, isPrivateRoomName, keyFromPassphrase, MIN_PASSPHRASE_LENGTH, parseInvite, PRIVATE_NAME_RULE, roomSecrets, formatInvite } from '../private/index.js'
import type { Registry } from '../registry/index.js'
import type { RoomKeyStore } from '../store/index.js'
import { P2pchatError } from '../errors.js'

/** A room to start: its names (with the key of a private room) and its trusted peers. */
export interface RoomTarget { names: RoomNames, trustedPeers: string[] }

/** What resolving a target needs. */
export interface TargetContext {
  registry: Registry | undefined
  roomKeys: RoomKeyStore
  now: number
  /** The error code of a bad target: INVALID_FLAG at start, INVALID_COMMAND for `/join`. */
  code: 'INVALID_FLAG' | 'INVALID_COMMAND'
  /** A passphrase: the target is then the name of the private room whose key it gives. */
  passphrase?: string
}


/** The names of the private room `name` with `key`: topic and rendezvous derived from the key. */
export function privateRoomNames (name: string, key: Uint8Array): RoomNames {
  const secrets = roomSecrets(key)
  return { name, rendezvous: secrets.rendezvous, topic: secrets.topic, key }
}

/** The invite of a private room's names. */
export function inviteOf (names: RoomNames): string | undefined {
  return names.key === undefined ? undefined : formatInvite({ name: names.name, key: names.key })
}

function registryTrust (registry: Registry | undefined, name: string): string[] {
  return registry?.rooms.find(r => r.name === name && r.private === true)?.trustedPeers ?? []
}

/**
 * Resolves `target` (an invite, a private room the profile holds, a registry room, or a topic).
 * An invite's key is saved first (durably unless the profile is ephemeral).
 */
export async function resolveTarget (target: string, ctx: TargetContext): Promise<RoomTarget> {
  const text = target.trim()
  if (ctx.passphrase !== undefined && !isInvite(text)) {
    checkPrivateName(text, ctx.code)
    if (ctx.passphrase.length < MIN_PASSPHRASE_LENGTH) throw new P2pchatError(ctx.code, `a passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters (four random words or more)`)
    const key = await keyFromPassphrase(ctx.passphrase, text)
    await ctx.roomKeys.put(text, key, ctx.now)
    return { names: privateRoomNames(text, key), trustedPeers: registryTrust(ctx.registry, text) }
  }
  if (isInvite(text)) {
    const parsed = parseInvite(text)
    if (!parsed.ok) throw new P2pchatError(ctx.code, `not a valid invite: ${parsed.detail}`)
    await ctx.roomKeys.put(parsed.invite.name, parsed.invite.key, ctx.now)
    return { names: privateRoomNames(parsed.invite.name, parsed.invite.key), trustedPeers: registryTrust(ctx.registry, parsed.invite.name) }
  }
  const entry = ctx.registry?.rooms.find(r => r.name === text)
  const held = ctx.roomKeys.current(text)
  if (entry?.private === true) {
    if (held === undefined) throw new P2pchatError(ctx.code, `room "${text}" is private: only its invite lets you in; ask a member for it (/invite prints it) and join with it`)
    return { names: privateRoomNames(text, held.key), trustedPeers: entry.trustedPeers }
  }
  if (entry !== undefined) return { names: roomNames(entry.name, entry.rendezvous), trustedPeers: entry.trustedPeers }
  if (held !== undefined) return { names: privateRoomNames(text, held.key), trustedPeers: [] }
  validateTopic(text, ctx.code)
  return { names: roomNames(text), trustedPeers: [] }
}

/** Checks a new private room's name (`/create`, a passphrase room): one line in our words. */
export function checkPrivateName (name: string, code: TargetContext['code']): void {
  if (!isPrivateRoomName(name)) throw new P2pchatError(code, `a private room's name has ${PRIVATE_NAME_RULE}`)
}

/** Checks a plain topic name. */
export function validateTopic (topic: string, code: TargetContext['code']): void {
  if (topic.length === 0 || topic.length > MAX_ROOM_NAME_LENGTH || /[\s\p{Cc}]/u.test(topic)) {
    throw new P2pchatError(code, `invalid room "${topic.slice(0, 40)}": give a registry room name, an invite, or a topic of 1-${MAX_ROOM_NAME_LENGTH} characters without spaces`)
  }
}
