/**
 * The room's governance from committed commands: bans, titles, pins and checkpoints in a trusted
 * room; only checkpoints in an open one; bad or stale commands refused with a reason; the state
 * survives a snapshot; the codec refuses what is not a command, never throwing.
 */
import { describe, expect, it } from 'vitest'
import { decodeGovernanceCommand, encodeGovernanceCommand, MAX_COMMAND_BYTES, type GovernanceCommand } from '../../../src/room/governance-codec.js'
import { Governance, MAX_PINS } from '../../../src/room/governance.js'
import { schema } from '../../../src/wire/index.js'

const ALICE = '12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq'
const MALLORY = '12D3KooWRNw2pJC9748Fmq4WNV27HoSTcX3r37132FLkQMrbKAiC'
const ID = 'ab'.repeat(16)
const DIGEST = 'cd'.repeat(32)
const cmd = (c: Partial<GovernanceCommand> & Pick<GovernanceCommand, 'type'>): Uint8Array => encodeGovernanceCommand({ by: ALICE, issuedAt: 1_767_225_600_000, ...c } as GovernanceCommand)

describe('governance', () => {
  it('a trusted room bans, titles, pins and finalizes; repeats change nothing', () => {
    const g = new Governance(true)
    expect(g.apply(1, cmd({ type: 'ban', peer: MALLORY, reason: 'spam' }))).toEqual({ applied: true, events: [{ type: 'banned', peer: MALLORY, reason: 'spam', by: ALICE }] })
    expect(g.isBanned(MALLORY)).toBe(true)
    expect(g.apply(2, cmd({ type: 'ban', peer: MALLORY, reason: 'again' }))).toEqual({ applied: true, events: [] })
    expect(g.apply(3, cmd({ type: 'title', text: 'welcome' })).applied).toBe(true)
    expect(g.apply(4, cmd({ type: 'pin', messageId: ID })).applied).toBe(true)
    expect(g.apply(5, cmd({ type: 'checkpoint', lamport: 100, digest: DIGEST }))).toEqual({ applied: true, events: [{ type: 'final', after: 0, lamport: 100, digest: DIGEST }] })
    expect(g.apply(6, cmd({ type: 'checkpoint', lamport: 90, digest: DIGEST }))).toEqual({ applied: false, reason: 'a checkpoint at 90 is not past the final 100' })
    expect(g.apply(7, cmd({ type: 'unban', peer: MALLORY })).applied).toBe(true)
    expect(g.view()).toEqual({ title: 'welcome', banned: [], pins: [ID], finality: { lamport: 100, digest: DIGEST, index: 5 } })
  })

  it('an open room takes checkpoints only, and says why it ignores the rest', () => {
    const g = new Governance(false)
    expect(g.apply(1, cmd({ type: 'ban', peer: MALLORY, reason: 'spam' }))).toEqual({ applied: false, reason: 'an open room has no authority to ban, title or pin' })
    expect(g.isBanned(MALLORY)).toBe(false)
    expect(g.apply(2, cmd({ type: 'checkpoint', lamport: 5, digest: DIGEST })).applied).toBe(true)
  })

  it('keeps the newest pins, and survives a snapshot', () => {
    const g = new Governance(true)
    for (let i = 0; i < MAX_PINS + 5; i++) g.apply(i + 1, cmd({ type: 'pin', messageId: i.toString(16).padStart(32, '0') }))
    expect(g.view().pins).toHaveLength(MAX_PINS)
    expect(g.view().pins[0]).toBe((5).toString(16).padStart(32, '0'))
    g.apply(100, cmd({ type: 'ban', peer: MALLORY, reason: 'spam' }))
    const restored = Governance.restore(true, g.snapshot())
    expect(restored?.view()).toEqual(g.view())
    expect(Governance.restore(true, new TextEncoder().encode('{not json'))).toBeUndefined()
  })

  it('the codec round-trips every command and refuses bad ones in its own words', () => {
    const all: GovernanceCommand[] = [
      { type: 'ban', peer: MALLORY, reason: 'r', by: ALICE, issuedAt: 1 },
      { type: 'unban', peer: MALLORY, by: ALICE, issuedAt: 2 },
      { type: 'title', text: 't', by: ALICE, issuedAt: 3 },
      { type: 'pin', messageId: ID, by: ALICE, issuedAt: 4 },
      { type: 'unpin', messageId: ID, by: ALICE, issuedAt: 5 },
      { type: 'checkpoint', lamport: 9, digest: DIGEST, by: ALICE, issuedAt: 6 }
    ]
    for (const c of all) expect(decodeGovernanceCommand(encodeGovernanceCommand(c))).toEqual({ ok: true, command: c })
    const by = encodeGovernanceCommand(all[0]).subarray(0, 0)
    const bad: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array([0xff, 0xff]), /did not decode/],
      [by, /does not know/],
      [schema.GovernanceCommand.encode({ by: new Uint8Array([1, 2]), title: { text: 'x' } }).finish(), /proposer is not a peer id/],
      [schema.GovernanceCommand.encode({ title: { text: 'x'.repeat(300) } }).finish(), /title longer than 200/],
      [schema.GovernanceCommand.encode({ pin: { messageId: new Uint8Array(3) } }).finish(), /message id must be 16 bytes/],
      [schema.GovernanceCommand.encode({ checkpoint: { lamport: 1, digest: new Uint8Array(5) } }).finish(), /digest must be 32 bytes/],
      [new Uint8Array(MAX_COMMAND_BYTES + 1), /over 1024 bytes/]
    ]
    for (const [bytes, reason] of bad) {
      const r = decodeGovernanceCommand(bytes)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.detail).toMatch(reason)
    }
    expect(() => encodeGovernanceCommand({ type: 'unban', peer: 'nope', by: ALICE, issuedAt: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })
})
