/**
 * Runs scenario commands against named room drivers and prints their output batches
 * in a short, stable form (message ids become m1, m2, … in order of appearance).
 *
 * Commands (each at the current virtual time):
 *   new <peer> [persistent] [quiet] [probing] [slots=N] [targets=N]
 *                                                   a driver (quiet: no presence; probing: SWIM probes on)
 *   time <ms>                                       set the virtual clock
 *   <peer> start | tick | leave | census
 *   <peer> send <text…>
 *   <peer> members <p,q,…|-> [connected=<p,…>]      topic peers (default: all connected)
 *   <peer> departed <peer>
 *   <peer> unreachable <peer>                       a redial of <peer> failed
 *   <peer> probed <probe#> ack|nack|failed          how one of its probes ended
 *   <peer> who                                      its roster (a suspected peer marked ?)
 *   <peer> nick <name>                              change the nick (a new presence record)
 *   <peer> written <mN> ok|fail
 *   <peer> published <mN> <recipients>
 *   <peer> ready                                    print and keep the batch
 *   deliver <from> <to> [only=content|sync|ephemeral] [skip=mN,…]
 *                                                   what <from> last published, through <to>'s check
 *   answer <peer> <pull#> [by=<peer>]               the pull's target (or <by>) answers it
 *   fail <peer> <pull#>                             the attempt times out
 */
import type { ReliableMessage } from '../../../src/reliability/index.js'
import { decodeEphemeral } from '../../../src/presence/index.js'
import { RoomDriver, type PullAttempt, type RoomOutput, type RoomReady } from '../../../src/room/index.js'
import { decodeChatContent } from '../../../src/wire/index.js'

/** A set of drivers and what they last published. */
export class DriverHarness {
  private readonly drivers = new Map<string, RoomDriver>()
  private readonly published = new Map<string, ReliableMessage[]>()
  private readonly pulls = new Map<string, Map<number, PullAttempt>>()
  private readonly names = new Map<string, string>()
  private readonly byName = new Map<string, ReliableMessage>()
  private now = 0

  run (command: string): string[] {
    const [head, ...args] = command.trim().split(/\s+/)
    if (head === 'new') return this.create(args)
    if (head === 'time') { this.now = Number(args[0]); return [] }
    if (head === 'deliver') return this.deliver(args)
    if (head === 'answer') return this.answer(args)
    if (head === 'fail') { this.driver(args[0]).pullFailed(Number(args[1]), this.now); return [] }
    const driver = this.driver(head)
    const [verb, ...rest] = args
    switch (verb) {
      case 'start': driver.start(this.now); return []
      case 'tick': driver.tick(this.now); return []
      case 'leave': { const msg = driver.leave(this.now); return [msg === undefined ? 'leave: nobody to tell' : `leave: ${this.describe(msg)}`] }
      case 'census': { const r = driver.startCensus(this.now); return [r.ok ? `census started, finishes at ${r.finishAt}` : `census refused until ${r.retryAt}`] }
      case 'send': this.name(driver.send(rest.join(' '), false, this.now)); return []
      case 'members': {
        const peers = rest[0] === '-' ? [] : rest[0].split(',')
        const option = rest.find(r => r.startsWith('connected='))
        driver.membership(peers, option === undefined ? peers : option.slice(10).split(',').filter(p => p !== ''), this.now)
        return []
      }
      case 'departed': driver.departed(rest[0], this.now); return []
      case 'unreachable': driver.unreachable(rest[0], this.now); return []
      case 'who': return [`${head} who: ${driver.who(this.now).map(e => `${e.peerId}${driver.presence.isSuspected(e.peerId) ? '?' : ''}`).join(' ')}`]
      case 'probed': driver.probed(Number(rest[0]), rest[1] as 'ack' | 'nack' | 'failed', this.now); return []
      case 'nick': driver.setNick(rest[0], this.now); return []
      case 'written': driver.written(this.idOf(rest[0]), rest[1] === 'ok', this.now); return []
      case 'published': driver.published(this.message(rest[0]), Number(rest[1])); return []
      case 'ready': return this.ready(head, driver.ready())
      default: throw new Error(`unknown command: ${command}`)
    }
  }

  private create (args: string[]): string[] {
    const [id, ...flags] = args
    const option = (key: string): number | undefined => {
      const flag = flags.find(f => f.startsWith(`${key}=`))
      return flag === undefined ? undefined : Number(flag.slice(key.length + 1))
    }
    this.drivers.set(id, new RoomDriver(id, 'room', {
      nick: id,
      persistent: flags.includes('persistent'),
      announcePresence: !flags.includes('quiet'),
      probing: flags.includes('probing') ? { random: () => 0 } : false,
      presence: { peerIdToBytes: peer => new TextEncoder().encode(peer), peerIdFromBytes: bytes => new TextDecoder().decode(bytes) },
      ...(option('slots') !== undefined ? { maxPullsInFlight: option('slots') } : {}),
      ...(option('targets') !== undefined ? { pullTargets: option('targets') } : {})
    }))
    this.pulls.set(id, new Map())
    return []
  }

  private deliver ([from, to, ...options]: string[]): string[] {
    const only = options.find(o => o.startsWith('only='))?.slice(5)
    const skip = new Set(options.find(o => o.startsWith('skip='))?.slice(5).split(',') ?? [])
    const driver = this.driver(to)
    const out: string[] = []
    for (const msg of this.published.get(from) ?? []) {
      if ((only !== undefined && msg.kind !== only) || skip.has(this.name(msg))) continue
      const verdict = driver.check(msg, this.now)
      if (verdict.action !== 'accept') { out.push(`${to} ${verdict.action}s ${this.name(msg)}${verdict.reason === undefined ? '' : ` (${verdict.reason})`}`); continue }
      driver.receive(msg, this.now)
    }
    return out
  }

  private answer ([peer, pullId, by]: string[]): string[] {
    const attempt = this.pulls.get(peer)?.get(Number(pullId))
    if (attempt === undefined) throw new Error(`${peer} has no pull #${pullId}`)
    const server = this.driver(by?.startsWith('by=') === true ? by.slice(3) : attempt.target)
    const { messages } = server.answerPull(attempt.ask)
    const requester = this.driver(peer)
    const fresh = messages.filter(m => !requester.hasReceived(m.messageId, m.kind))
    requester.pullAnswered(attempt.pullId, fresh, attempt.target, this.now, messages.length > 0)
    return [`${attempt.target} answers #${pullId} with ${messages.length === 0 ? 'nothing' : messages.map(m => this.name(m)).join(' ')}`]
  }

  private ready (peer: string, ready: RoomReady): string[] {
    this.published.set(peer, ready.publish)
    for (const attempt of ready.pulls) this.pulls.get(peer)?.set(attempt.pullId, attempt)
    const lines: string[] = []
    const list = (label: string, items: string[]): void => { if (items.length > 0) lines.push(`${label}: ${items.join(', ')}`) }
    list('publish', ready.publish.map(m => this.describe(m)))
    for (const a of ready.pulls) {
      lines.push(`pull #${a.pullId} → ${a.target}: ${a.ask.ids.map(id => this.nameOf(id)).join(' ')}${a.ask.maxAncestors > 0 ? ` (+${a.ask.maxAncestors} ancestors)` : ''}`)
    }
    for (const p of ready.probes) lines.push(`probe #${p.probeId} → ${p.target}${p.via === undefined ? '' : ` via ${p.via}`} (${p.timeoutMs} ms)`)
    list('persist own', ready.persistOwn.map(m => this.name(m)))
    list('persist delivered', ready.persistDelivered.map(m => this.name(m)))
    if (ready.saveState) lines.push('save state')
    for (const e of ready.events) lines.push(this.event(e))
    for (const c of ready.censuses) lines.push(`census ${c.pollId.slice(0, 6)}: estimate ${c.result.estimate} from ${c.result.replies} replies`)
    list('joined', ready.joined)
    list('left', ready.left)
    list('departed', ready.departed)
    list('drops', ready.drops)
    for (const line of ready.log) lines.push(`log: ${line.replace(/[0-9a-f]{32}/g, id => this.nameOf(id))}`)
    return [`${peer}:`, ...(lines.length === 0 ? ['  (nothing)'] : lines.map(l => `  ${l}`))]
  }

  private event (e: RoomOutput): string {
    switch (e.type) {
      case 'message': {
        const l = e.detail
        const flags = [l.own ? `own, ${l.state ?? ''}` : '', l.outOfOrder === true ? 'out of order' : '', l.gapBefore !== undefined ? `gap ${l.gapBefore.map(id => this.nameOf(id)).join(' ')}` : ''].filter(f => f !== '')
        return `line ${this.nameOf(l.id)} <${l.nick}> ${l.text}${flags.length > 0 ? ` (${flags.join('; ')})` : ''}`
      }
      case 'message:state': return `state ${this.nameOf(e.detail.id)} ${e.detail.state}`
      case 'peer:join': return `peer joined ${e.detail.peerId}${e.detail.nick === undefined ? '' : ` (${e.detail.nick})`}`
      case 'peer:leave': return `peer left ${e.detail.peerId}`
      case 'peers:count': return `topic peers: ${e.detail.count}`
      case 'notice': return `notice ${e.detail.level}: ${e.detail.text}`
      case 'roster:change': {
        const names = (entries: Array<{ nick: string }>): string => entries.map(x => x.nick).join(',') || '-'
        return `roster joined=${names(e.detail.joined)} left=${names(e.detail.left)} changed=${names(e.detail.changed)}`
      }
      case 'governance': return `governance ${JSON.stringify(e.detail)}`
    }
  }

  private describe (msg: ReliableMessage): string {
    if (msg.kind === 'content') {
      const content = decodeChatContent(msg.content)
      return `${this.name(msg)} "${content.ok ? content.value.text : '?'}" by ${msg.senderId}`
    }
    if (msg.kind === 'ephemeral') {
      const decoded = decodeEphemeral(msg.content)
      return `presence ${decoded.ok ? (decoded.value.type === 'presence' ? 'record' : decoded.value.type) : '?'} by ${msg.senderId}`
    }
    return `${msg.kind} by ${msg.senderId} naming ${msg.causalHistory.map(h => this.nameOf(h.messageId)).join(' ') || 'nothing'}`
  }

  private driver (id: string): RoomDriver {
    const driver = this.drivers.get(id)
    if (driver === undefined) throw new Error(`no driver ${id}`)
    return driver
  }

  private name (msg: ReliableMessage): string {
    const name = this.nameOf(msg.messageId)
    this.byName.set(name, msg)
    return name
  }

  private nameOf (id: string): string {
    let name = this.names.get(id)
    if (name === undefined) {
      name = `m${this.names.size + 1}`
      this.names.set(id, name)
    }
    return name
  }

  private idOf (name: string): string {
    for (const [id, n] of this.names) if (n === name) return id
    throw new Error(`no message ${name}`)
  }

  private message (name: string): ReliableMessage {
    const msg = this.byName.get(name)
    if (msg === undefined) throw new Error(`no message ${name}`)
    return msg
  }
}
