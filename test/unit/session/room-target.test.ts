/**
 * What `/join` and `--join` name: an invite (its key kept first), a private room the profile
 * holds, a registry room (a private one only with its key), or a plain topic; a bad invite is
 * one line in our words.
 */
import { describe, expect, it } from 'vitest'
import { formatInvite, keyFromPassphrase, roomSecrets } from '../../../src/private/index.js'
import { memoryRoomKeys } from '../../../src/store/index.js'
import { resolveTarget } from '../../../src/session/room-target.js'
import type { Registry } from '../../../src/registry/index.js'

const KEY = new Uint8Array(32).fill(9)
const REGISTRY = { rooms: [
  { name: 'ops', desc: '', rendezvous: 'p2pchat/ops-rv', trustedPeers: ['T1'], private: true },
  { name: 'open', desc: '', rendezvous: 'p2pchat/open-rv', trustedPeers: [] }
] } as unknown as Registry

describe('resolving a room to join', () => {
  it('an invite: its key is kept, and topic and rendezvous come from it', async () => {
    const roomKeys = memoryRoomKeys()
    const target = await resolveTarget(formatInvite({ name: 'team', key: KEY }), { registry: undefined, roomKeys, now: 5, code: 'INVALID_COMMAND' })
    expect(target.names).toEqual({ name: 'team', topic: roomSecrets(KEY).topic, rendezvous: roomSecrets(KEY).rendezvous, key: KEY })
    expect(roomKeys.current('team')?.key).toEqual(KEY)
    // The name alone now finds it.
    expect((await resolveTarget('team', { registry: undefined, roomKeys, now: 6, code: 'INVALID_COMMAND' })).names.topic).toBe(roomSecrets(KEY).topic)
  })

  it('a private registry room needs its key; with it, the registry trusts its peers', async () => {
    const roomKeys = memoryRoomKeys()
    await expect(resolveTarget('ops', { registry: REGISTRY, roomKeys, now: 1, code: 'INVALID_COMMAND' })).rejects.toThrow(/room "ops" is private: only its invite lets you in/)
    const target = await resolveTarget(formatInvite({ name: 'ops', key: KEY }), { registry: REGISTRY, roomKeys, now: 1, code: 'INVALID_COMMAND' })
    expect(target).toMatchObject({ names: { name: 'ops', topic: roomSecrets(KEY).topic }, trustedPeers: ['T1'] })
    expect(await resolveTarget('ops', { registry: REGISTRY, roomKeys, now: 2, code: 'INVALID_COMMAND' })).toMatchObject({ names: { topic: roomSecrets(KEY).topic }, trustedPeers: ['T1'] })
  })

  it('a registry room and a plain topic as before; a damaged invite is one line', async () => {
    const ctx = { registry: REGISTRY, roomKeys: memoryRoomKeys(), now: 1, code: 'INVALID_COMMAND' as const }
    expect((await resolveTarget('open', ctx)).names).toEqual({ name: 'open', rendezvous: 'p2pchat/open-rv', topic: 'p2pchat/open-rv' })
    expect((await resolveTarget('x', ctx)).names).toEqual({ name: 'x', rendezvous: 'p2pchat/x', topic: 'p2pchat/x' })
    await expect(resolveTarget('p2pchat:room/team#abc', ctx)).rejects.toThrow(/^not a valid invite: the key in this invite is \d+ bytes, not 32; ask for it again$/)
    await expect(resolveTarget('p2pchat:room/team', ctx)).rejects.toThrow(/^not a valid invite: this invite has no key/)
  })

  it('a name with a passphrase: the key scrypt gives, kept like an invite\'s; a short passphrase is refused', async () => {
    const roomKeys = memoryRoomKeys()
    const ctx = { registry: undefined, roomKeys, now: 1, code: 'INVALID_COMMAND' as const }
    await expect(resolveTarget('team', { ...ctx, passphrase: 'too short' })).rejects.toThrow(/^a passphrase needs at least 12 characters/)
    await expect(resolveTarget('a team', { ...ctx, passphrase: 'correct horse battery staple' })).rejects.toThrow(/no spaces/)
    const target = await resolveTarget('team', { ...ctx, passphrase: 'correct horse battery staple' })
    const key = await keyFromPassphrase('correct horse battery staple', 'team')
    expect(target.names).toEqual({ name: 'team', topic: roomSecrets(key).topic, rendezvous: roomSecrets(key).rendezvous, key })
    expect(roomKeys.current('team')?.key).toEqual(key)
  })
})
