/**
 * Private rooms in the UI: the texts of `/invite`, `/rekey` and the private-room notice after a
 * room switch, and the invites found in chat lines (`p2pchat:room/<name>#<base64url key>`).
 * Only an invite's shape is checked here (the UI layer imports `session/types.ts` alone, not the
 * private-room cryptography): whether it is valid is the session's to say when it is joined, in
 * one error line. Returns plain texts; the caller makes them `-!-` lines and sanitises them.
 */

import { sanitize } from './sanitize.js'
import { shortId } from './short-id.js'
import type { ChatLine } from '../session/types.js'

/** An invite's shape, anywhere in a text: the room name (no spaces, `#` or `/`), then the key. */
const INVITE = /p2pchat:room\/([^\s#/]+)#[A-Za-z0-9_-]+/g

/** An invite found in a text, and the room it names. */
export interface SeenInvite { invite: string, room: string }

/**
 * The invites in `text`, in order, each once. An invite that would not show as it is (a name
 * with control characters) is left out: what the hint shows must be what `/join` gets.
 */
export function findInvites (text: string): SeenInvite[] {
  const out: SeenInvite[] = []
  for (const match of text.matchAll(INVITE)) {
    const invite = match[0]
    if (sanitize(invite) !== invite || out.some(s => s.invite === invite)) continue
    out.push({ invite, room: match[1] })
  }
  return out
}

/** The notice after switching to a private room. */
export function privateRoomText (room: string): string {
  return `room ${room} is private: only holders of its invite can find or read it (/invite prints it)`
}

/** The guidance under `/invite`'s invite. */
export function inviteGuidance (room: string): string {
  return `anyone holding this invite can find and read room ${room}, its history included: share it only with people you want in`
}

/** The line before `/rekey`'s new invite. */
export function rekeyHead (room: string): string {
  return `room ${room} moved to a new key; its new invite:`
}

/** The line after `/rekey`'s new invite. */
export function rekeyTail (): string {
  return 'the old room\'s members were told this invite there; history from before stays readable with the old key'
}

/** `bob shared an invite to private room team: /join p2pchat:room/team#… to enter`. */
export function inviteSeenText (line: ChatLine, room: string, invite: string): string {
  const nick = line.nick === '' ? shortId(line.from) : line.nick + (line.nickTag === undefined ? '' : `#${line.nickTag}`)
  return `${nick} shared an invite to private room ${room}: /join ${invite} to enter`
}
