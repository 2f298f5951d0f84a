/**
 * The one gate every inbound copy passes, whichever path (or repair answer) brought it:
 * decode and check the payload against its signer, dedup by message id before any
 * signature is verified, run the driver's checks, and count every drop with its reason.
 */
import type { PeerId } from '@libp2p/interface'
import type { ReliableMessage } from '../reliability/index.js'
import { BLAMELESS_REASONS, checkPayload } from './payload-check.js'
import { toCoreMessage } from './core-adapter.js'
import { verifyRecord, type SignedRecord } from './signed-record.js'
import type { DropCounter } from './drop-counter.js'
import type { RoomDriver } from './driver.js'
import type { InboundCopy, PathVerdict } from './broadcast-path.js'

/** The gate of one room. */
export class InboundGate {
  /** Verifications under way, by message id: a second copy waits for the first one's outcome. */
  private readonly verifying = new Map<string, Promise<boolean>>()
  /** Signature verifications run (one per distinct message, however many copies came). */
  verifications = 0

  constructor (private readonly topic: string, private readonly driver: RoomDriver, private readonly drops: DropCounter,
    private readonly now: () => number, private readonly log: (line: string) => void) {}

  /** Checks a copy whose signature a path's transport already verified (gossipsub's validator). */
  checkSigned (data: Uint8Array, from: PeerId | undefined): { verdict: PathVerdict, msg?: ReliableMessage } {
    const result = checkPayload(this.topic, data, from?.toMultihash().bytes)
    if (!result.ok || from === undefined) {
      const reason = result.ok ? 'unsigned' : result.reason
      this.drops.add(reason)
      this.log(`dropped a message: ${reason}${result.ok ? '' : `: ${result.detail}`}`)
      return { verdict: BLAMELESS_REASONS.has(reason) ? 'ignore' : 'reject' }
    }
    // What the core would refuse (the id hash, a clock far ahead, history naming itself) is
    // refused here too, before the path forwards it. The converted message is kept for delivery.
    const msg = toCoreMessage(result.wire, from)
    const verdict = this.driver.check(msg, this.now())
    if (verdict.action !== 'accept') {
      if (verdict.reason !== undefined) {
        this.drops.add(verdict.reason)
        this.log(`dropped a message: ${verdict.reason}`)
      }
      return { verdict: verdict.action }
    }
    return { verdict: 'accept', msg }
  }

  /**
   * Checks a record nobody verified yet (a repair answer, or a path that does not verify):
   * copies the core already has, or that another copy is being verified for, cost no
   * verification of their own.
   */
  async verify (record: SignedRecord): Promise<InboundCopy | undefined> {
    if (record.topic !== this.topic) { this.drops.add('wrong-channel'); return undefined }
    const result = checkPayload(this.topic, record.data, record.from)
    if (!result.ok) { this.drops.add(result.reason); return undefined }
    const { messageId, kind } = result.wire
    if (this.driver.hasReceived(messageId, kind)) { this.drops.add('duplicate'); return undefined }
    const earlier = this.verifying.get(messageId)
    if (earlier !== undefined && await earlier) { this.drops.add('duplicate'); return undefined }
    this.verifications++
    const check = verifyRecord(record)
    const ok = check.then(v => v.ok, () => false)
    this.verifying.set(messageId, ok)
    try {
      const verified = await check
      if (!verified.ok) { this.drops.add('bad-signature'); this.log(`pulled ${verified.detail}`); return undefined }
      return { msg: toCoreMessage(result.wire, verified.from), record }
    } finally {
      if (this.verifying.get(messageId) === ok) this.verifying.delete(messageId)
    }
  }
}
