/**
 * Starting the nodes of a simulated internet: the plain js-libp2p bootstrap/relay nodes on the
 * public segment, and real p2pchat CLI processes (`--public --json`) behind the home routers,
 * pointed at those bootstrap nodes by the test-only environment variable.
 */

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NsProcess, PUBLIC_RANGES_HOOK, fixture } from './ns-process.js'
import type { PublicHost } from './sim-internet.js'

/** The CLI unbundled, so the load hook that makes the documentation ranges public reaches libp2p (see the fixture). */
const BIN = fixture('unbundled-cli.mjs')

/** A running bootstrap/relay node on the public segment. */
export interface PublicNode {
  host: PublicHost
  proc: NsProcess
  peerId: string
  /** Its TCP address with /p2p/<id>, as a bootstrap list names it. */
  tcpAddr: string
}

/** Starts one public node per host, one after the other, each bootstrapping from the ones before. */
export async function startPublicNodes (hosts: PublicHost[], options: { relay: boolean } = { relay: true }): Promise<PublicNode[]> {
  const nodes: PublicNode[] = []
  for (const host of hosts) {
    const list = nodes.map(n => n.tcpAddr).join(',')
    const proc = new NsProcess(host.ns, ['--import', PUBLIC_RANGES_HOOK, fixture('public-node.mjs'), host.address, list === '' ? '-' : list, ...(options.relay ? [] : ['norelay'])])
    const line = await proc.waitForLine(l => l.startsWith('{'), 'public node start', 30_000)
    const { peerId } = JSON.parse(line) as { peerId: string }
    nodes.push({ host, proc, peerId, tcpAddr: `/ip4/${host.address}/tcp/4001/p2p/${peerId}` })
  }
  return nodes
}

/** A parsed NDJSON event of a chat process. */
export type ChatEvent = Record<string, unknown> & { type?: string }

/** A p2pchat CLI process in a home namespace. */
export class ChatPeer {
  peerId = ''

  private constructor (readonly proc: NsProcess) {}

  /** Starts `p2pchat --public --topic <topic> --json --ephemeral` in `ns` (extra args after). */
  static async start (ns: string, topic: string, bootstrap: PublicNode[], extraArgs: string[] = []): Promise<ChatPeer> {
    const proc = new NsProcess(ns, [
      '--import', PUBLIC_RANGES_HOOK, BIN, '--public', '--topic', topic, '--json', '--ephemeral', '--local-port', '0', ...extraArgs
    ], {
      P2PCHAT_TEST_PUBLIC_BOOTSTRAP: bootstrap.map(n => n.tcpAddr).join(','),
      P2PCHAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'p2pchat-netns-')),
      // p2pchat's own diagnostics on stderr (the tests read its `link open|closed` lines);
      // SIM_DEBUG adds libp2p namespaces when a run needs investigating.
      DEBUG: process.env.SIM_DEBUG ?? 'p2pchat',
      NO_COLOR: '1'
    })
    const peer = new ChatPeer(proc)
    const id = await peer.command('/id', e => e.type === 'id', 30_000)
    peer.peerId = id.peerId as string
    return peer
  }

  /** Events from index `from` on (or all). */
  events (from = 0): ChatEvent[] {
    const out: ChatEvent[] = []
    for (const line of this.proc.stdout.slice(from)) {
      try { out.push(JSON.parse(line) as ChatEvent) } catch {}
    }
    return out
  }

  /** Waits for an event matching `match` (from stdout line `from` on). */
  async waitFor (match: (e: ChatEvent) => boolean, what: string, timeoutMs = 60_000, from = 0): Promise<ChatEvent> {
    const line = await this.proc.waitForLine(l => {
      try { return match(JSON.parse(l) as ChatEvent) } catch { return false }
    }, what, timeoutMs, from)
    return JSON.parse(line) as ChatEvent
  }

  /** Types a command and waits for its result event. */
  async command (text: string, match: (e: ChatEvent) => boolean, timeoutMs = 15_000): Promise<ChatEvent> {
    const from = this.proc.stdout.length
    this.proc.type(text)
    return await this.waitFor(match, `result of ${text}`, timeoutMs, from)
  }

  /** The `/peers` row of `peerId`, if connected. */
  async peerRow (peerId: string): Promise<{ link: string, address: string, inTopic: boolean } | undefined> {
    const result = await this.command('/peers', e => e.type === 'peers')
    const rows = result.peers as Array<{ peerId: string, link: string, address: string, inTopic: boolean }>
    return rows.find(r => r.peerId === peerId)
  }

  /** Diagnostics lines (DEBUG=p2pchat goes to stderr). */
  logLines (): string[] {
    return this.proc.stderr
  }

  async stop (crash = false): Promise<void> {
    await this.proc.stop(crash)
  }
}
