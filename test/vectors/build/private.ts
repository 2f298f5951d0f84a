/**
 * private.json: a private room from its invite: the key, the derived topic, rendezvous and AEAD
 * keys; a chat line sealed by alice (fixed nonce) with its associated data, sealed bytes and the
 * message id over them; a sealed presence body; and the key a passphrase gives.
 */
import { associatedData, formatInvite, keyFromPassphrase, roomSecrets, seal, type SealContext } from '../../../src/private/index.js'
import { computeMessageId, KIND_CODES } from '../../../src/reliability/index.js'
import { encodeChatContent } from '../../../src/wire/index.js'
import { hex, identities, NOW, type VectorFile } from './common.js'

/** The room key of the vectors: bytes 0x00..0x1f. */
export const PRIVATE_KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
/** The nonces: 0x40.. for the line, 0x80.. for the presence body. */
const nonce = (start: number) => (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => start + i)

/** Builds private.json. */
export async function buildPrivate (): Promise<VectorFile> {
  const { alice } = await identities()
  const secrets = roomSecrets(PRIVATE_KEY)
  const line = encodeChatContent({ nick: 'alice', text: 'for members only', action: false })
  const lineContext: SealContext = { channel: secrets.topic, sender: alice.id, lamport: NOW, kind: KIND_CODES.content }
  const sealedLine = seal(secrets.contentKey, line, lineContext, nonce(0x40))
  const body = new TextEncoder().encode('any ephemeral body (a presence record)')
  const bodyContext: SealContext = { channel: secrets.topic, sender: alice.id, lamport: NOW + 1, kind: KIND_CODES.ephemeral }
  const sealedBody = seal(secrets.presenceKey, body, bodyContext, nonce(0x80))
  return {
    description: 'Private rooms. The invite carries the 32-byte room key (base64url, no padding). HKDF-SHA256 (salt UTF-8 "p2pchat/private/1") derives, by info label, the topic ("topic", 16 bytes), the rendezvous ("rendezvous", 16 bytes), the content key ("content", 32) and the presence key ("presence", 32). A sealed body is nonce (24) ‖ XChaCha20-Poly1305 ciphertext ‖ tag (16) with the associated data shown; the message id is computed over the sealed bytes. A passphrase key is scrypt(N=2^17, r=8, p=1, 32 bytes) of the NFC passphrase with salt "p2pchat/private/passphrase/1/<room name>".',
    cases: [
      { name: 'room from invite', invite: formatInvite({ name: 'team', key: PRIVATE_KEY }), keyHex: hex(PRIVATE_KEY), topic: secrets.topic, rendezvous: secrets.rendezvous, contentKeyHex: hex(secrets.contentKey), presenceKeyHex: hex(secrets.presenceKey) },
      { name: 'sealed chat line', context: lineContext, plaintextHex: hex(line), associatedDataHex: hex(associatedData(lineContext)), nonceHex: hex(nonce(0x40)(24)), sealedHex: hex(sealedLine), messageId: computeMessageId({ channelId: secrets.topic, senderId: alice.id, lamport: NOW, kind: 'content', content: sealedLine }) },
      { name: 'sealed presence body', context: bodyContext, plaintextHex: hex(body), associatedDataHex: hex(associatedData(bodyContext)), nonceHex: hex(nonce(0x80)(24)), sealedHex: hex(sealedBody) },
      { name: 'passphrase key', roomName: 'team', passphrase: 'correct horse battery staple', keyHex: hex(await keyFromPassphrase('correct horse battery staple', 'team')) }
    ]
  }
}
