/** Checks of private.json against the code. */
import { expect } from 'vitest'
import { associatedData, keyFromPassphrase, open, parseInvite, roomSecrets, seal, type SealContext } from '../../../src/private/index.js'
import { computeMessageId } from '../../../src/reliability/index.js'
import { hex, unhex } from '../build/common.js'

interface PrivateCase {
  invite?: string, keyHex?: string, topic?: string, rendezvous?: string, contentKeyHex?: string, presenceKeyHex?: string
  context?: SealContext, plaintextHex?: string, associatedDataHex?: string, nonceHex?: string, sealedHex?: string, messageId?: string
  roomName?: string, passphrase?: string
}

/** Recomputes one case of private.json. */
export async function checkPrivate (c: PrivateCase, all: PrivateCase[]): Promise<void> {
  const room = all.find(x => x.invite !== undefined) as PrivateCase
  const secrets = roomSecrets(unhex(String(room.keyHex)))
  if (c.invite !== undefined) {
    const parsed = parseInvite(c.invite)
    expect(parsed.ok && hex(parsed.invite.key)).toBe(c.keyHex)
    expect({ topic: secrets.topic, rendezvous: secrets.rendezvous, contentKeyHex: hex(secrets.contentKey), presenceKeyHex: hex(secrets.presenceKey) })
      .toEqual({ topic: c.topic, rendezvous: c.rendezvous, contentKeyHex: c.contentKeyHex, presenceKeyHex: c.presenceKeyHex })
    return
  }
  if (c.context !== undefined) {
    const key = c.context.kind === 1 ? secrets.contentKey : secrets.presenceKey
    expect(hex(associatedData(c.context))).toBe(c.associatedDataHex)
    expect(hex(seal(key, unhex(String(c.plaintextHex)), c.context, () => unhex(String(c.nonceHex))))).toBe(c.sealedHex)
    expect(hex(open(key, unhex(String(c.sealedHex)), c.context) ?? new Uint8Array(0))).toBe(c.plaintextHex)
    if (c.messageId !== undefined) expect(computeMessageId({ channelId: c.context.channel, senderId: c.context.sender, lamport: c.context.lamport, kind: 'content', content: unhex(String(c.sealedHex)) })).toBe(c.messageId)
    return
  }
  expect(hex(await keyFromPassphrase(String(c.passphrase), String(c.roomName)))).toBe(c.keyHex)
}
