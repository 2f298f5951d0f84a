/**
 * A simulated internet made of Linux network namespaces, created and removed by the test that
 * uses it. Nothing in it can reach the real network: no namespace has a route beyond the ranges
 * below, and none is connected to the host's own namespace.
 *
 *   "internet"   one namespace holding a bridge; every public host and every router's WAN side
 *                has a veth on it. Public hosts use 198.51.100.0/24, router WAN sides
 *                203.0.113.0/24 (documentation ranges, RFC 5737), each with an on-link route to
 *                the other range and no default route.
 *   home router  a namespace forwarding between its LAN (10.0.<n>.0/24) and its WAN address, with
 *                iptables MASQUERADE and a stateful firewall (unsolicited inbound is dropped, as
 *                on a home router). Two kinds:
 *                  'cone'       MASQUERADE keeps the source port: one mapping per internal
 *                               socket, whoever it talks to (endpoint-independent mapping,
 *                               RFC 4787), so a hole punched towards a peer is reused.
 *                  'symmetric'  MASQUERADE --random-fully: a fresh random port for every new
 *                               destination (endpoint-dependent mapping), so an address observed
 *                               by one peer is useless to another, and hole punching fails.
 *   home peer    a namespace behind one router, default route via it.
 *
 * Names carry a per-run id so concurrent runs never collide; `destroy` kills what still runs in
 * them and deletes them all, and a process `exit` hook does the same if the test dies first.
 */

import { randomBytes } from 'node:crypto'
import { inNs, ip, listNamespaces, namespaceProblem, pidsIn } from './ip.js'

/** How a home router maps ports. */
export type NatKind = 'cone' | 'symmetric'

/** A host on the public segment. */
export interface PublicHost {
  ns: string
  address: string
}

/** A home: its router and the one peer behind it. */
export interface Home {
  kind: NatKind
  routerNs: string
  /** The router's public (WAN) address: what the internet sees of this home. */
  wanAddress: string
  peerNs: string
  /** The peer's private address. */
  lanAddress: string
}

/** What to build. */
export interface SimInternetOptions {
  publicHosts: number
  homes: NatKind[]
}

/** Prefix of every namespace this harness creates (a leftover check looks for it). */
export const NS_PREFIX = 'p2pc'

const PUBLIC_NET = '198.51.100'
const WAN_NET = '203.0.113'

/** Thrown (by `create`) when this machine cannot create namespaces: the run fails, it never skips. */
export class NamespacesUnavailable extends Error {}

/** A built simulated internet. */
export class SimInternet {
  readonly id: string
  readonly publicHosts: PublicHost[] = []
  readonly homes: Home[] = []
  private readonly created: string[] = []
  private readonly onExit = (): void => { this.destroy() }
  /** Interrupted (Ctrl-C, a kill): clean up, then die of the same signal. */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.destroy()
    process.kill(process.pid, signal)
  }
  private destroyed = false

  private constructor () {
    this.id = randomBytes(3).toString('hex')
    process.once('exit', this.onExit)
    process.once('SIGINT', this.onSignal)
    process.once('SIGTERM', this.onSignal)
  }

  private unhook (): void {
    process.removeListener('exit', this.onExit)
    process.removeListener('SIGINT', this.onSignal)
    process.removeListener('SIGTERM', this.onSignal)
  }

  /** Builds the namespaces, links, addresses, routes and NAT rules. */
  static create (options: SimInternetOptions): SimInternet {
    const net = new SimInternet()
    const problem = namespaceProblem(`${NS_PREFIX}-${net.id}-probe`)
    if (problem !== undefined) {
      net.unhook()
      throw new NamespacesUnavailable(
        `the simulated-internet tests need network namespaces and iptables (run as root with iproute2 and iptables installed): ${problem}`)
    }
    try {
      net.build(options)
    } catch (err) {
      net.destroy()
      throw err
    }
    return net
  }

  private ns (role: string): string {
    const name = `${NS_PREFIX}-${this.id}-${role}`
    ip('netns', 'add', name)
    this.created.push(name)
    inNs(name, 'ip', 'link', 'set', 'lo', 'up')
    return name
  }

  private build (options: SimInternetOptions): void {
    const hub = this.ns('net')
    ip('-n', hub, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', hub, 'link', 'set', 'br0', 'up')
    let port = 0
    // A veth from the hub's bridge to `eth0` inside `ns`, with `address`/24 and an on-link route to `otherNet`.
    const attach = (ns: string, address: string, otherNet: string): void => {
      const hubSide = `p${port++}`
      ip('-n', hub, 'link', 'add', hubSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
      ip('-n', hub, 'link', 'set', hubSide, 'master', 'br0')
      ip('-n', hub, 'link', 'set', hubSide, 'up')
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0')
      ip('-n', ns, 'link', 'set', 'eth0', 'up')
      ip('-n', ns, 'route', 'add', `${otherNet}.0/24`, 'dev', 'eth0')
    }
    for (let i = 0; i < options.publicHosts; i++) {
      const ns = this.ns(`pub${i}`)
      const address = `${PUBLIC_NET}.${10 + i}`
      attach(ns, address, WAN_NET)
      this.publicHosts.push({ ns, address })
    }
    options.homes.forEach((kind, i) => {
      const routerNs = this.ns(`rtr${i}`)
      const peerNs = this.ns(`home${i}`)
      const wanAddress = `${WAN_NET}.${10 + i}`
      const lanAddress = `10.0.${i + 1}.2`
      attach(routerNs, wanAddress, PUBLIC_NET)
      ip('-n', routerNs, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peerNs)
      ip('-n', routerNs, 'addr', 'add', `10.0.${i + 1}.1/24`, 'dev', 'lan0')
      ip('-n', routerNs, 'link', 'set', 'lan0', 'up')
      ip('-n', peerNs, 'addr', 'add', `${lanAddress}/24`, 'dev', 'eth0')
      ip('-n', peerNs, 'link', 'set', 'eth0', 'up')
      ip('-n', peerNs, 'route', 'add', 'default', 'via', `10.0.${i + 1}.1`)
      inNs(routerNs, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
      const ipt = (...args: string[]): string => inNs(routerNs, 'iptables', '-w', '5', ...args)
      ipt('-t', 'nat', '-A', 'POSTROUTING', '-o', 'eth0', '-j', 'MASQUERADE', ...(kind === 'symmetric' ? ['--random-fully'] : []))
      // A home router's firewall: replies pass, unsolicited traffic from the internet is dropped
      // (not refused: a refusal would tear down a simultaneous open).
      ipt('-A', 'FORWARD', '-i', 'eth0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
      ipt('-A', 'FORWARD', '-i', 'eth0', '-j', 'DROP')
      ipt('-A', 'INPUT', '-i', 'eth0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
      ipt('-A', 'INPUT', '-i', 'eth0', '-j', 'DROP')
      this.homes.push({ kind, routerNs, wanAddress, peerNs, lanAddress })
    })
  }

  /** The namespaces of this run that still exist. */
  remaining (): string[] {
    const mine = `${NS_PREFIX}-${this.id}-`
    return listNamespaces().filter(n => n.startsWith(mine))
  }

  /** Kills every process left in this run's namespaces and deletes them (their veths go with them). Idempotent. */
  destroy (): void {
    if (this.destroyed) return
    this.destroyed = true
    this.unhook()
    for (const ns of this.remaining()) {
      for (const pid of pidsIn(ns)) {
        try { process.kill(pid, 'SIGKILL') } catch {}
      }
      try { ip('netns', 'delete', ns) } catch {}
    }
  }
}
