/**
 * Short, stable text forms of the consensus core's entries, messages and status, for the
 * interaction scenarios' golden output and for failure reports of the safety test.
 */
import type { Entry, Message, RaftStatus, Snapshot } from '../../../src/consensus/index.js'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** A command's bytes as the UTF-8 text the tests propose. */
export function text (data: Uint8Array): string {
  return decoder.decode(data)
}

/** The bytes of a test command. */
export function bytes (value: string): Uint8Array {
  return encoder.encode(value)
}

/** `3/1 cmd:hello`, `1/1 noop`, `4/2 config:a,b,c,d`. */
export function formatEntry (e: Entry): string {
  if (e.kind === 'command') return `${e.index}/${e.term} cmd:${text(e.data)}`
  if (e.kind === 'config') return `${e.index}/${e.term} config:${(e.members ?? []).join(',')}`
  return `${e.index}/${e.term} noop`
}

/** `5/1 members=a,b,c`. */
export function formatSnapshot (s: Snapshot): string {
  return `${s.index}/${s.term} members=${s.members.join(',')}`
}

/** One line per message: `a->b pre-vote term=1 last=0/0`, `a->b append term=1 prev=0/0 commit=0 entries=[1/1 noop]`. */
export function formatMessage (m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} term=${m.term}`
  switch (m.type) {
    case 'pre-vote':
    case 'vote': return `${head} last=${m.lastIndex}/${m.lastTerm}`
    case 'pre-vote-response':
    case 'vote-response': return `${head} ${m.granted ? 'granted' : 'rejected'}`
    case 'append': return `${head} prev=${m.prevIndex}/${m.prevTerm} commit=${m.commit}${m.entries.length === 0 ? '' : ` entries=[${m.entries.map(formatEntry).join(', ')}]`}`
    case 'append-response': return `${head} ${m.success ? 'ok' : 'reject'} index=${m.index}`
    case 'snapshot': return `${head} snap=${formatSnapshot(m.snapshot)}`
  }
}

/** `leader term=2 leader=a commit=3 applied=3 last=3 snap=0 members=a,b,c` (plus dropped counts, if any). */
export function formatStatus (s: RaftStatus): string {
  const dropped = Object.entries(s.dropped).filter(([, n]) => n !== undefined && n > 0).sort(([a], [b]) => a.localeCompare(b))
  return `${s.role} term=${s.term} leader=${s.leader ?? '-'} commit=${s.commit} applied=${s.applied} last=${s.lastIndex} snap=${s.snapshotIndex} members=${s.members.join(',')}` +
    (dropped.length === 0 ? '' : ` dropped=${dropped.map(([k, n]) => `${k}:${n}`).join(',')}`)
}
