/**
 * Runs the consensus interaction scenarios (etcd-io/raft's interaction tests, in our
 * datadriven format) on a `Cluster` with no latency and manual delivery, printing each
 * delivered message and the reactions it causes (role and term changes, votes, applies).
 *
 * Commands:
 *   add-members <id…> [config=<a,b,…>]     start members (config: their initial member list; default the ids given)
 *   campaign <id>                           tick <id> alone until its election timeout fires
 *   tick <id,…|all> <ms>                    move the clock, ticking only those members every 10 ms; nothing is delivered
 *   advance <ms>                            move the clock, ticking everyone and delivering as messages arrive
 *                                           (prints elections and snapshots, not the append traffic)
 *   stabilize                               deliver everything queued, and what it causes, until quiet (at most 200)
 *   deliver-msgs <id>                       deliver what is queued for <id> now (not what it causes)
 *   drop-msgs <id>                          lose what is queued for <id>
 *   propose <id> <text…>
 *   change-members <id> <member…>           the new member list, proposed at <id>
 *   compact <id> <index>
 *   status <id> | log <id> | applied <id>
 *   isolate <id> | cut <a> <b> | partition <a,b> <c> … | heal
 *   crash <id> | restart <id>
 */
import type { MemberId, Message } from '../../../src/consensus/index.js'
import { Cluster, type ClusterEvent } from './cluster.js'
import { formatEntry, formatMessage, formatSnapshot, formatStatus } from './format.js'
import { SafetyChecker } from './invariants.js'

const TICK_MS = 10
/** Deliveries one `stabilize` may take (a livelock shows as a cut-off trace, not a hang). */
const MAX_STABILIZE = 200

/** One scenario's cluster and its printer. */
export class InteractionHarness {
  private readonly cluster = new Cluster({ seed: 1, members: [] })
  private out: string[] = []
  /** Reactions are always printed; appends and their answers not while quiet. */
  private quiet = false
  private readonly votes = new Map<MemberId, string>()
  /** Every scenario is also checked against Raft's safety properties: a breach shows as an error line. */
  readonly checker = new SafetyChecker(this.cluster)

  constructor () {
    this.cluster.observe(event => this.print(event))
  }

  /** Runs one command line; returns its output lines. */
  run (line: string): string[] {
    this.out = []
    const [command, ...args] = line.trim().split(/\s+/)
    const c = this.cluster
    switch (command) {
      case 'add-members': {
        const config = args.find(a => a.startsWith('config='))
        const ids = args.filter(a => !a.startsWith('config='))
        for (const id of ids) c.start(id, config === undefined ? ids : config.slice(7).split(','))
        break
      }
      case 'campaign': this.campaign(args[0]); break
      case 'tick': this.tick(args[0] === 'all' ? [...c.members.keys()] : args[0].split(','), Number(args[1])); break
      case 'advance':
        this.quiet = true
        try { c.advance(Number(args[0])) } finally { this.quiet = false }
        break
      case 'stabilize': {
        const delivered = c.stabilize(MAX_STABILIZE)
        if (delivered >= MAX_STABILIZE) this.out.push(`stabilize: not quiet after ${delivered} deliveries (${c.network.inFlight.length} queued); stopped`)
        break
      }
      case 'deliver-msgs': c.deliverTo(args[0]); break
      case 'drop-msgs': this.out.push(`dropped ${c.network.take(m => m.to === args[0]).length}`); break
      case 'propose': this.out.push(`${args[0]}: proposed at ${c.propose(args[0], args.slice(1).join(' '))}`); break
      case 'change-members': this.out.push(`${args[0]}: config entry at ${c.changeMembers(args[0], args.slice(1))}`); break
      case 'compact': this.out.push(`${args[0]}: snapshot ${formatSnapshot(c.compact(args[0], Number(args[1])))}`); break
      case 'status': this.out.push(`${args[0]}: ${c.member(args[0]).core === undefined ? 'crashed' : formatStatus(c.core(args[0]).status())}`); break
      case 'log': this.log(args[0]); break
      case 'applied': {
        const app = c.member(args[0]).app
        this.out.push(`${args[0]}: applied=${app.index} commands=[${app.commands.map(([i, t]) => `${i}:${t}`).join(', ')}]`)
        break
      }
      case 'isolate': c.network.isolate(args[0]); break
      case 'cut': c.network.cut(args[0], args[1]); break
      case 'partition': c.network.partition(args.map(g => g.split(','))); break
      case 'heal': c.network.heal(); break
      case 'crash': c.crash(args[0]); break
      case 'restart': c.restart(args[0]); break
      default: throw new Error(`unknown command ${command}`)
    }
    return this.out
  }

  private campaign (id: MemberId): void {
    const core = this.cluster.core(id)
    const start = core.status()
    for (let i = 0; i < 1000; i++) {
      const s = core.status()
      if (s.role !== start.role || s.term !== start.term) return
      this.tick([id], TICK_MS)
    }
    throw new Error(`${id} did not campaign`)
  }

  private tick (ids: MemberId[], ms: number): void {
    const c = this.cluster
    const end = c.now + ms
    while (c.now < end) {
      c.now = Math.min(c.now + TICK_MS, end)
      for (const id of ids) if (c.member(id).core !== undefined) c.tick(id)
    }
  }

  private log (id: MemberId): void {
    const d = this.cluster.member(id).disk
    const hs = d.hardState
    this.out.push(`${id}: hard=${hs === undefined ? '-' : `term:${hs.term},vote:${hs.vote ?? '-'},commit:${hs.commit}`} snap=${d.snapshot === undefined ? '-' : formatSnapshot(d.snapshot)}`)
    for (const e of d.entries) this.out.push(`  ${formatEntry(e)}`)
  }

  private shown (m: Message): boolean {
    return !this.quiet || (m.type !== 'append' && m.type !== 'append-response')
  }

  private print (event: ClusterEvent): void {
    switch (event.type) {
      case 'deliver':
        if (this.shown(event.flight.message)) this.out.push(formatMessage(event.flight.message) + (event.lost === undefined ? '' : ` (lost: ${event.lost})`))
        break
      case 'lost-on-send':
        if (this.shown(event.flight.message)) this.out.push(`${formatMessage(event.flight.message)} (lost: ${event.reason})`)
        break
      case 'ready': {
        const { member, ready, before, after } = event
        if (after.role !== before.role || after.term !== before.term || after.leader !== before.leader) {
          this.out.push(`  ${member.id}: ${after.role} term=${after.term} leader=${after.leader ?? '-'}`)
        }
        const vote = ready.hardState?.vote
        const key = `${ready.hardState?.term ?? ''}/${vote ?? ''}`
        if (vote !== undefined && vote !== member.id && this.votes.get(member.id) !== key) this.out.push(`  ${member.id}: voted for ${vote} in term ${ready.hardState?.term ?? '?'}`)
        if (ready.hardState !== undefined) this.votes.set(member.id, key)
        break
      }
      case 'apply': this.out.push(`  ${event.member.id}: applied ${formatEntry(event.entry)}`); break
      case 'install': this.out.push(`  ${event.member.id}: installed snapshot ${formatSnapshot(event.snapshot)}`); break
      case 'crash': this.out.push(`  ${event.member.id}: crashed`); break
      case 'restart': this.out.push(`  ${event.member.id}: restarted ${formatStatus(event.member.status)}`); break
      case 'compact': break
    }
  }
}
