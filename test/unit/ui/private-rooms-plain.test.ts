import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { parseInput } from '../../../src/ui/commands.js'
import { complete } from '../../../src/ui/completer.js'
import { findInvites } from '../../../src/ui/private-lines.js'
import { runUi } from '../../../src/ui/run.js'
import { ALICE, BOB, Collector, FakeSession, FakeTtyInput, at, chatLine, inviteTo, waitFor } from './fake-session.js'

const now = (): number => at(12, 0)
const TEAM = inviteTo('team')
const NEW = inviteTo('team', 'n'.repeat(43))
const PRIVATE_NOTICE = '12:00 -!- room team is private: only holders of its invite can find or read it (/invite prints it)'

/** A session already in private room `team` (held key `TEAM`). */
function inTeam (): FakeSession {
  const session = new FakeSession()
  session.topic = 'team'
  session.privateRooms.set('team', TEAM)
  return session
}

/** Runs line mode over `lines`, emitting events with `during` once it listens; resolves the output lines once input ends. */
async function run (session: FakeSession, lines: string[], json = false, during?: () => void): Promise<string[]> {
  const input = new PassThrough()
  const output = new Collector()
  const done = runUi(session, { input, output, json, now, interactive: false })
  during?.()
  input.end(lines.map(l => l + '\n').join(''))
  expect(await done).toEqual({ reason: 'eof' })
  expect(session.listenerCount).toBe(0)
  return output.lines()
}

async function runJson (session: FakeSession, lines: string[], during?: () => void): Promise<Array<Record<string, unknown>>> {
  return (await run(session, lines, true, during)).map(l => JSON.parse(l) as Record<string, unknown>)
}

describe('private rooms: parsing, help and completion', () => {
  it('/join passes an invite through exactly as typed', () => {
    expect(parseInput(`/join ${TEAM}`)).toEqual({ type: 'join', room: TEAM })
    expect(parseInput(`/JOIN    ${TEAM}   `)).toEqual({ type: 'join', room: TEAM })
    expect(parseInput('/join p2pchat:room/a_b-c.d#AbC-_09')).toEqual({ type: 'join', room: 'p2pchat:room/a_b-c.d#AbC-_09' })
  })

  it('/invite and /rekey take nothing after them, and say so in one line', () => {
    expect(parseInput('/invite')).toEqual({ type: 'invite' })
    expect(parseInput('/INVITE  ')).toEqual({ type: 'invite' })
    expect(parseInput('/rekey')).toEqual({ type: 'rekey' })
    expect(parseInput('/invite bob')).toEqual({ type: 'error', message: "usage: /invite: it takes nothing after it; it prints this room's invite for you to give, e.g. with /msg bob <invite> (end to end)" })
    expect(parseInput('/rekey now')).toEqual({ type: 'error', message: 'usage: /rekey: it takes nothing after it; it moves the room you are in to a new key' })
    expect(parseInput('/invit')).toMatchObject({ type: 'unknown', hint: 'unknown command /invit — did you mean /invite? Type /help for the list.' })
    expect(parseInput('/rekee')).toMatchObject({ type: 'unknown', hint: 'unknown command /rekee — did you mean /rekey? Type /help for the list.' })
  })

  it('tab completes /invite and /rekey, and held private rooms after /join', () => {
    expect(complete('/inv', [])).toEqual([['/invite'], '/inv'])
    expect(complete('/rek', [])).toEqual([['/rekey'], '/rek'])
    const session = inTeam()
    session.topic = 'x'
    expect(complete('/join t', [], () => session.rooms().map(r => r.name))).toEqual([['team'], 't'])
  })

  it('/help lists /invite, /rekey and /join <invite>', async () => {
    const text = (await run(new FakeSession(), ['/help'])).join('\n')
    expect(text).toMatch(/^\/invite +print the invite of this private room: whoever holds it can find and read the room, its history too$/m)
    expect(text).toMatch(/^\/rekey +move this private room to a new key/m)
    expect(text).toMatch(/^\/join <name\|topic\|invite> +switch to a registry room, to a private room by its invite/m)
    const [help] = await runJson(new FakeSession(), ['/help'])
    const names = (help.commands as Array<{ name: string }>).map(c => c.name)
    expect(names).toContain('invite')
    expect(names).toContain('rekey')
  })

  it('finds invites in text by their shape, each once, and none that would not show as they are', () => {
    expect(findInvites(`join it with: ${TEAM}, or ${TEAM}.`)).toEqual([{ invite: TEAM, room: 'team' }])
    expect(findInvites(`a ${inviteTo('a')} b ${inviteTo('b')}`)).toEqual([{ invite: inviteTo('a'), room: 'a' }, { invite: inviteTo('b'), room: 'b' }])
    expect(findInvites('p2pchat:room/team (no key) and p2pchat:room/#abc and p2pchat:room/te am#abc and p2pchat:room/a/b#abc')).toEqual([])
    expect(findInvites(`p2pchat:room/ev\x1b[2Jil#${'k'.repeat(43)}`)).toEqual([])
  })
})

describe('private rooms in line mode', () => {
  it('/invite prints the invite alone on its line, then one line of guidance', async () => {
    const session = inTeam()
    expect(await run(session, ['/invite'])).toEqual([
      TEAM,
      '12:00 -!- anyone holding this invite can find and read room team, its history included: share it only with people you want in'
    ])
    expect(session.methods()).toEqual(['invite'])
  })

  it('/invite and /rekey in a room that is not private print the session\'s one error line', async () => {
    const session = new FakeSession()
    expect(await run(session, ['/invite', '/rekey'])).toEqual([
      '12:00 -!- room "x" is not private: anyone who knows its name can join it',
      '12:00 -!- room "x" is not private, so it has no key to change'
    ])
  })

  it('/join <invite> hands the invite to the session unchanged, and says the room is private', async () => {
    const session = new FakeSession()
    expect(await run(session, [`/join ${TEAM}`])).toEqual([
      '12:00 -!- now in room team (left x)',
      PRIVATE_NOTICE
    ])
    expect(session.calls.find(c => c.method === 'join')?.args).toEqual([TEAM])
    expect(session.topic).toBe('team')
  })

  it('/join of a bad invite prints the session\'s one-line error, and nothing else', async () => {
    const session = new FakeSession()
    session.joinImpl = async () => { throw new P2pchatError('INVALID_COMMAND', 'not a valid invite: this invite has no key (the part after "#"); ask for the whole invite\n    at resolveTarget') }
    expect(await run(session, ['/join p2pchat:room/team'])).toEqual([
      '12:00 -!- not a valid invite: this invite has no key (the part after "#"); ask for the whole invite'
    ])
    expect(session.topic).toBe('x')
  })

  it('a room that is not private makes no private line; going back to a private one does', async () => {
    const session = inTeam()
    expect(await run(session, ['/join general', '/leave', `/join ${TEAM}`])).toEqual([
      '12:00 -!- now in room general (left team)',
      '12:00 -!- now in room team (left general)',
      PRIVATE_NOTICE,
      '12:00 -!- already in room team'
    ])
  })

  it('a room:change from the session itself says the room is private too', async () => {
    const session = new FakeSession()
    const lines = await run(session, [], false, () => {
      session.privateRooms.set('team', TEAM)
      session.topic = 'team'
      session.emit('room:change', { name: 'team', previous: 'x' })
    })
    expect(lines).toEqual(['12:00 -!- now in room team (left x)', PRIVATE_NOTICE])
  })

  it('/rekey: the line told to the old room, the switch, then the new invite and what became of the old room', async () => {
    const session = inTeam()
    expect(await run(session, ['/rekey'])).toEqual([
      `12:00 * alice moved this room to a new key; join it with: ${NEW}`,
      '12:00 -!- now in room team',
      PRIVATE_NOTICE,
      '12:00 -!- room team moved to a new key; its new invite:',
      NEW,
      "12:00 -!- the old room's members were told this invite there; history from before stays readable with the old key"
    ])
    expect(session.methods()).toEqual(['rekey', 'rooms'])
    expect(session.invite()).toBe(NEW)
  })

  it('/rekey refused by the session prints its one error line', async () => {
    const session = inTeam()
    session.rekeyImpl = async () => { throw new P2pchatError('INVALID_COMMAND', 'could not move the room to a new key: the profile could not keep it') }
    expect(await run(session, ['/rekey'])).toEqual(['12:00 -!- could not move the room to a new key: the profile could not keep it'])
  })

  it('/rooms marks private rooms in an ACCESS column', async () => {
    const session = inTeam()
    session.registryRooms = [{ name: 'general', desc: 'all of us', rendezvous: 'p2pchat/general', trustedPeers: [ALICE], joined: false }]
    session.privateRooms.set('ops', inviteTo('ops'))
    expect(await run(session, ['/rooms'])).toEqual([
      '   ROOM     ACCESS   DESCRIPTION  TRUSTED  RENDEZVOUS',
      '   general  open     all of us    1        p2pchat/general',
      '*  team     private  —            0        p2pchat/private/team-rv',
      '   ops      private  —            0        p2pchat/private/ops-rv'
    ])
  })

  it('another peer\'s line holding an invite is followed by how to join it', async () => {
    const session = new FakeSession()
    const lines = await run(session, [], false, () => {
      session.emit('message', chatLine({ action: true, receivedAt: at(12, 0), text: `moved this room to a new key; join it with: ${NEW}` }))
      session.emit('message', chatLine({ id: 'aa02', receivedAt: at(12, 0), nick: 'bob', nickTag: '5678', text: `here: ${inviteTo('ops')} and ${inviteTo('ops')}` }))
      session.emit('message', chatLine({ id: 'aa03', receivedAt: at(12, 0), nick: '', text: `also ${inviteTo('dev')}` }))
    })
    expect(lines).toEqual([
      `12:00 * bob moved this room to a new key; join it with: ${NEW}`,
      `12:00 -!- bob shared an invite to private room team: /join ${NEW} to enter`,
      `12:00 <bob#5678> here: ${inviteTo('ops')} and ${inviteTo('ops')}`,
      `12:00 -!- bob#5678 shared an invite to private room ops: /join ${inviteTo('ops')} to enter`,
      `12:00 <12D3…5678> also ${inviteTo('dev')}`,
      `12:00 -!- 12D3…5678 shared an invite to private room dev: /join ${inviteTo('dev')} to enter`
    ])
  })

  it('no hint for own lines, replayed lines, ignored peers, the room we are in, or a name that would not show as it is', async () => {
    const session = inTeam()
    session.ignoredPeers = ['12D3KooWEveEveEveEveEveEveEveEveEveEveEveEveEve0000']
    const lines = await run(session, [], false, () => {
      session.emit('message', chatLine({ own: true, from: ALICE, nick: 'alice', state: 'confirmed', receivedAt: at(12, 0), text: `mine: ${inviteTo('ops')}` }))
      session.emit('message', chatLine({ history: true, receivedAt: at(12, 0), text: `old: ${inviteTo('ops')}` }))
      session.emit('message', chatLine({ from: '12D3KooWEveEveEveEveEveEveEveEveEveEveEveEveEve0000', nick: 'eve', text: `ignored: ${inviteTo('ops')}` }))
      session.emit('message', chatLine({ receivedAt: at(12, 0), text: `this room: ${TEAM}` }))
      session.emit('message', chatLine({ receivedAt: at(12, 0), text: `p2pchat:room/o\x07ps#${'k'.repeat(43)}` }))
    })
    expect(lines.filter(l => l.includes('shared an invite'))).toEqual([])
    expect(lines).toHaveLength(4)
  })
})

describe('private rooms with --json', () => {
  it('/invite is an invite event; /rekey a room event (private) then a rekey event', async () => {
    const session = inTeam()
    const events = await runJson(session, ['/invite', '/rekey', '/invite'])
    expect(events).toEqual([
      { type: 'invite', room: 'team', invite: TEAM },
      expect.objectContaining({ type: 'message', own: true, action: true, text: `moved this room to a new key; join it with: ${NEW}` }),
      { type: 'room', name: 'team', previous: 'team', private: true },
      { type: 'rekey', room: 'team', invite: NEW },
      { type: 'invite', room: 'team', invite: NEW }
    ])
  })

  it('/join <invite> is a room event with private: true; a room that is not private has no private field', async () => {
    const session = new FakeSession()
    const events = await runJson(session, [`/join ${TEAM}`, '/join general', '/join p2pchat:room/team#short'])
    expect(events).toEqual([
      { type: 'room', name: 'team', previous: 'x', private: true },
      { type: 'room', name: 'general', previous: 'team' },
      { type: 'error', text: 'not a valid invite: the key in this invite is damaged; ask for it again', code: 'INVALID_COMMAND' }
    ])
  })

  it('errors of /invite, /rekey and their arguments are error events', async () => {
    const events = await runJson(new FakeSession(), ['/invite', '/rekey', '/rekey now'])
    expect(events).toEqual([
      { type: 'error', text: 'room "x" is not private: anyone who knows its name can join it', code: 'INVALID_COMMAND' },
      { type: 'error', text: 'room "x" is not private, so it has no key to change', code: 'INVALID_COMMAND' },
      { type: 'error', text: 'usage: /rekey: it takes nothing after it; it moves the room you are in to a new key', code: 'INVALID_COMMAND' }
    ])
  })

  it('/rooms gives private: true to private rooms only', async () => {
    const session = inTeam()
    session.registryRooms = [{ name: 'general', desc: 'all of us', rendezvous: 'p2pchat/general', trustedPeers: [], joined: false }]
    const [rooms] = await runJson(session, ['/rooms'])
    expect(rooms).toEqual({
      type: 'rooms',
      rooms: [
        { name: 'general', desc: 'all of us', rendezvous: 'p2pchat/general', trustedPeers: [], joined: false },
        { name: 'team', desc: '', rendezvous: 'p2pchat/private/team-rv', trustedPeers: [], joined: true, private: true }
      ]
    })
  })

  it('another peer\'s line holding an invite: the message event as ever, then an invite-seen event', async () => {
    const session = new FakeSession()
    const events = await runJson(session, [], () => {
      session.emit('message', chatLine({ text: `join it with: ${NEW}` }))
      session.emit('message', chatLine({ id: 'aa02', text: 'no invite here' }))
    })
    expect(events.map(e => e.type)).toEqual(['message', 'invite-seen', 'message'])
    expect(events[0]).not.toHaveProperty('invite')
    expect(events[1]).toEqual({ type: 'invite-seen', from: BOB, room: 'team', invite: NEW })
  })
})

describe('private rooms in the interactive terminal', () => {
  it('/join <invite> shows the switch and the private notice above the prompt, and the hint follows a shared invite', async () => {
    const session = new FakeSession()
    const input = new FakeTtyInput()
    const output = new Collector(true)
    output.columns = 200 // no wrapping: the lines read as in line mode
    const done = runUi(session, { input, output, color: false, now, forceExit: () => {} })
    await waitFor(() => output.text.includes('[x · 1 peer] alice> '), 'prompt')
    input.write(`/join ${TEAM}\r`)
    await waitFor(() => output.text.includes('[team · 1 peer] alice> '), 'new prompt')
    expect(output.text).toContain(`12:00 -!- now in room team (left x)\n${PRIVATE_NOTICE}\n`)
    session.emit('message', chatLine({ receivedAt: at(12, 0), text: `try ${inviteTo('ops')}` }))
    await waitFor(() => output.text.includes('shared an invite'), 'hint')
    expect(output.text).toContain(`12:00 <bob> try ${inviteTo('ops')}\n12:00 -!- bob shared an invite to private room ops: /join ${inviteTo('ops')} to enter\n`)
    input.write('\x04')
    await done
  })
})

describe('private rooms: /create, and invites kept out of open rooms', () => {
  it('/create makes a private room, switches to it and prints its invite; a name with spaces is refused', async () => {
    expect(parseInput('/create team')).toEqual({ type: 'create', name: 'team' })
    expect(parseInput('/create a team')).toEqual({ type: 'error', message: 'usage: /create <name>: one name without spaces, e.g. /create team' })
    const session = new FakeSession()
    const out = await run(session, ['/create team'])
    expect(session.topic).toBe('team')
    expect(out).toContain(PRIVATE_NOTICE)
    expect(out.some(l => l.includes('p2pchat:room/team#'))).toBe(true)
    const events = await runJson(new FakeSession(), ['/create ops'])
    expect(events).toContainEqual(expect.objectContaining({ type: 'invite', room: 'ops' }))
  })

  it('a line holding an invite is not sent to an open room, and is sent in a private one', async () => {
    const open = new FakeSession()
    const out = await run(open, [`here you go ${TEAM}`, `/me shares ${TEAM}`])
    expect(open.calls.filter(c => c.method === 'send' || c.method === 'sendAction')).toEqual([])
    expect(out.filter(l => l.includes("not sent: that line holds a private room's invite"))).toHaveLength(2)
    const team = inTeam()
    await run(team, [`the new one: ${NEW}`])
    expect(team.calls.filter(c => c.method === 'send')).toEqual([{ method: 'send', args: [`the new one: ${NEW}`] }])
  })
})
