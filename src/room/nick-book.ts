/**
 * Who goes by which nick, so that two people with the same nick are told apart: a line
 * from a peer whose nick another known peer (or we) also uses carries a tag from its peer
 * id (`bob#Y3H8`). Nicks are self-chosen and unauthenticated; the tag comes from the
 * signed peer id, so it cannot be forged. Bounded: the least recently seen are forgotten.
 */

/** Peers remembered. */
export const NICK_BOOK_SIZE = 10_000

/** The tag of a peer id: its last 4 characters, as the short ids (`12D3…Y3H8`) show them. */
export function nickTagOf (peerId: string): string {
  return peerId.slice(-4)
}

/** Nicks by peer, and peers by nick (case-insensitive). */
export class NickBook {
  private readonly byPeer = new Map<string, string>()
  private readonly byNick = new Map<string, Set<string>>()

  constructor (private readonly selfId: string, private readonly capacity = NICK_BOOK_SIZE) {}

  /** `peerId` goes by `nick` now (an empty nick is ignored). */
  see (peerId: string, nick: string): void {
    if (nick === '') return
    const before = this.byPeer.get(peerId)
    if (before !== undefined) this.unlink(peerId, before)
    this.byPeer.delete(peerId) // re-inserted: most recently seen last
    this.byPeer.set(peerId, nick)
    const key = nick.toLowerCase()
    let peers = this.byNick.get(key)
    if (peers === undefined) {
      peers = new Set()
      this.byNick.set(key, peers)
    }
    peers.add(peerId)
    if (this.byPeer.size > this.capacity) {
      const [oldest, oldNick] = this.byPeer.entries().next().value as [string, string]
      this.byPeer.delete(oldest)
      this.unlink(oldest, oldNick)
    }
  }

  /** The last nick of `peerId`, if known. */
  nickOf (peerId: string): string | undefined {
    return this.byPeer.get(peerId)
  }

  /** Every nick known (ours included when seen). */
  nicks (): string[] {
    return [...new Set(this.byPeer.values())]
  }

  /** The tag `nick` needs on a line of `peerId`: undefined unless another peer (or we) uses it too. */
  tagFor (peerId: string, nick: string): string | undefined {
    const peers = this.byNick.get(nick.toLowerCase())
    if (peers === undefined) return undefined
    for (const other of peers) if (other !== peerId) return nickTagOf(peerId)
    return undefined
  }

  /** Other peers (not us) that go by `nick`. */
  othersNamed (nick: string): string[] {
    return [...(this.byNick.get(nick.toLowerCase()) ?? [])].filter(p => p !== this.selfId)
  }

  private unlink (peerId: string, nick: string): void {
    const key = nick.toLowerCase()
    const peers = this.byNick.get(key)
    peers?.delete(peerId)
    if (peers?.size === 0) this.byNick.delete(key)
  }
}
