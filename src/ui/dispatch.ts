/**
 * Carries out one parsed input line against the session and prints the
 * outcome through the Renderer. Never throws: a usage error, an unknown
 * command, or a rejected session call becomes one error line (the error's
 * first message line, never a stack).
 *
 * `/join` and `/leave` print nothing of their own on success: the session's
 * `room:change` event is the one path that shows the switch (so a switch
 * made any other way reads the same, and there is exactly one line). Only
 * when the call resolves with the room we were already in, and no
 * `room:change` came while it ran, does the command print `already in room`.
 *
 * `/invite` prints the active private room's invite; `/rekey` moves the room to a new key and
 * prints the new invite after the `room:change` of the switch (an open `/query` stays open).
 * Both refuse a room that is not private with the session's one error line.
 *
 * The committee commands (`/committee`, `/pins`, `/ban`, `/unban`, `/title`, `/pin`, `/unpin`)
 * are carried out by `govern-dispatch.ts`; the direct-message commands (`/msg`, `/query`,
 * `/back`, `/dms`, `/ignore`, `/unignore`), and typed lines while a `/query` is open, by
 * `direct-dispatch.ts`. A successful `/join` or `/leave` closes the query.
 */

import { isP2pchatError } from '../errors.js'
import { parseDialMultiaddr } from '../discovery/parse-multiaddr.js'
import { HISTORY_DEPTH_MAX, LASTLOG_MAX, type ParsedInput } from './commands.js'
import { isGovernanceInput, runGovernance } from './govern-dispatch.js'
import { isDirectInput, runDirect, sendToQuery } from './direct-dispatch.js'
import type { DirectView } from './direct-view.js'
import type { PrintLines } from './events.js'
import type { Renderer } from './renderer.js'
import type { ChatSession } from '../session/types.js'
import { findInvites } from './private-lines.js'

/** What dispatching needs from its front end. */
export interface DispatchContext {
  session: ChatSession
  renderer: Renderer
  print: PrintLines
  /** `/clear`: clear the screen (no-op in line mode). */
  clear: () => void
  /** Called after something the prompt shows changed: the nick, the open query. */
  refreshPrompt: () => void
  /** The open `/query` and the nicks of the peers we write to. */
  direct: DirectView
}

/** Microtask turns a synchronous census refusal may take to surface through the session's async layers. */
const REFUSAL_TURNS = 16

/** Whether the front end should keep reading input. */
export type DispatchOutcome = 'continue' | 'quit'

/** The one-line text of an error: its message's first line, or its string form. */
export function errorText (err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split(/\r?\n/, 1)[0] || 'unknown error'
}

/**
 * True (and says why) when `text` holds a private room's invite and the active room is not
 * private: sent there, the key would be anyone's. `/msg` carries it end to end instead.
 */
function leaksInvite (ctx: DispatchContext, text: string): boolean {
  if (findInvites(text).length === 0) return false
  let isPrivate = false
  try { isPrivate = ctx.session.rooms().find(r => r.joined)?.private === true } catch {}
  if (isPrivate) return false
  ctx.print(ctx.renderer.notice({ level: 'error', text: 'not sent: that line holds a private room\'s invite, and anyone can read this room. Give it to one person with /msg <nick> <invite>' }))
  return true
}

/** Runs a room switch, printing `already in room` when it changed nothing and no `room:change` said otherwise; closes the query. */
async function switchRoom (ctx: DispatchContext, go: () => Promise<string>): Promise<void> {
  const { session } = ctx
  const before = session.topic
  let changed = false
  const onChange = (): void => { changed = true }
  session.addEventListener('room:change', onChange)
  try {
    const name = await go()
    if (ctx.direct.closeQuery()) ctx.refreshPrompt()
    if (!changed && name === before) ctx.print(ctx.renderer.alreadyInRoom(name))
  } finally {
    session.removeEventListener('room:change', onChange)
  }
}

async function run (input: ParsedInput, ctx: DispatchContext): Promise<DispatchOutcome> {
  const { session, renderer, print } = ctx
  if (isGovernanceInput(input)) {
    await runGovernance(input, ctx)
    return 'continue'
  }
  if (isDirectInput(input)) {
    runDirect(input, ctx)
    return 'continue'
  }
  switch (input.type) {
    case 'empty': break
    case 'say': if (!sendToQuery(ctx, input.text, false) && !leaksInvite(ctx, input.text)) await session.send(input.text); break
    case 'me': if (!sendToQuery(ctx, input.text, true) && !leaksInvite(ctx, input.text)) await session.sendAction(input.text); break
    case 'help': print(renderer.help()); break
    case 'connect': {
      parseDialMultiaddr(input.multiaddr) // a bad address is one error line, with no "connecting" before it
      print(renderer.connecting(input.multiaddr))
      const peerId = await session.connect(input.multiaddr)
      print(renderer.connected(input.multiaddr, peerId))
      break
    }
    case 'peers': print(renderer.peers(await session.peers())); break
    case 'nick': {
      session.setNick(input.nick)
      print(renderer.nickChanged(session.nick))
      const twins = session.who().filter(e => !e.self && e.nick.toLowerCase() === session.nick.toLowerCase())
      if (twins.length > 0) {
        print(renderer.notice({ level: 'warn', text: `${twins.length === 1 ? 'another peer here is' : `${twins.length} other peers here are`} also called ${session.nick}: lines show a tag from the peer id to tell you apart (${session.nick}#${session.peerId.slice(-4)} is you)` }))
      }
      ctx.refreshPrompt()
      break
    }
    case 'id': print(renderer.identity(session.identity())); break
    case 'status': print(renderer.status(session.status())); break
    case 'status-set':
      session.setStatusText(input.text)
      print(renderer.statusText(input.text))
      break
    case 'away': print(renderer.away(session.setAway())); break
    case 'rooms': print(renderer.rooms(session.rooms())); break
    case 'join': await switchRoom(ctx, async () => await session.join(input.room)); break
    case 'leave': await switchRoom(ctx, async () => await session.leave()); break
    case 'invite': print(renderer.invite(session.topic, session.invite())); break
    case 'create': {
      let invite = ''
      await switchRoom(ctx, async () => { invite = await session.createRoom(input.name); return session.topic })
      print(renderer.invite(session.topic, invite))
      break
    }
    case 'rekey': {
      const invite = await session.rekey() // an open /query stays open: this is the same room, under a new key
      print(renderer.rekeyed(session.topic, invite))
      break
    }
    case 'who': print(renderer.who(session.who())); break
    case 'census': {
      // A refusal (a census ran moments ago) is decided without I/O and settles within a few
      // microtask turns (one or two per async layer), before any timer or socket event can run:
      // say it up front, with no "census running…" before it. A census that polls takes seconds.
      const running = session.census()
      let settled = false
      running.then(() => { settled = true }, () => { settled = true })
      for (let turn = 0; turn < REFUSAL_TURNS && !settled; turn++) await Promise.resolve()
      if (!settled) print(renderer.censusStarted())
      print(renderer.census(await running))
      break
    }
    case 'history': {
      const newest = session.history(input.limit + input.skip)
      const page = newest.slice(0, Math.max(0, newest.length - input.skip)).slice(-input.limit)
      print(renderer.history(page, input.limit, input.skip))
      break
    }
    case 'lastlog': {
      const needle = input.text.toLowerCase()
      const matches = session.history(HISTORY_DEPTH_MAX).filter(l => l.text.toLowerCase().includes(needle) || l.nick.toLowerCase() === needle)
      print(renderer.lastlog(matches.slice(-LASTLOG_MAX), input.text, matches.length))
      break
    }
    case 'clear': ctx.clear(); break
    case 'quit': return 'quit'
    case 'error': print(renderer.error(input.message, 'INVALID_COMMAND')); break
    case 'unknown': print(renderer.error(input.hint, 'INVALID_COMMAND')); break
  }
  return 'continue'
}

/** Carries out `input`; resolves `quit` for `/quit`, otherwise `continue`. Never rejects. */
export async function dispatch (input: ParsedInput, ctx: DispatchContext): Promise<DispatchOutcome> {
  try {
    return await run(input, ctx)
  } catch (err) {
    try { ctx.print(ctx.renderer.error(errorText(err), isP2pchatError(err) ? err.code : undefined)) } catch {}
    return 'continue'
  }
}
