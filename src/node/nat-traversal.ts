/**
 * What `--public` adds so that two people behind home routers can chat: a
 * circuit relay v2 client that reserves slots on public relays and listens on `/p2p-circuit`,
 * AutoNAT v2 to learn which of our addresses the internet can dial, DCUtR to turn a relayed
 * connection into a direct one by hole punching, and on request UPnP port mapping and a relay
 * server of our own. All of it is libp2p's own maintained packages; this file only chooses.
 */

import { autoNATv2 } from '@libp2p/autonat-v2'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import type { Transport } from '@libp2p/interface'
import { RELAY_SERVER_LIMITS, RELAY_RESERVATIONS } from './constants.js'

/**
 * Listen addresses with `--public` when the user named none: every interface, an OS-chosen port.
 * TCP only: @chainsafe/libp2p-quic was measured and left out (it punched no more holes than TCP,
 * 0 of 40 tries; it requires Node 22; BENCHMARKS.md "Across the internet").
 */
export const PUBLIC_LISTEN = ['/ip4/0.0.0.0/tcp/0']

/**
 * The AutoNAT v2 *server* protocol, which p2pchat does not serve (only the client runs). The
 * library's server dials the asking peer back with `force: true` and then closes that connection;
 * when a dial to the same address is already under way (a relay asks us to check its address
 * while we connect to it), the dial-back shares that connection and closing it cuts us off from
 * the relay: observed on the simulated internet as relay reservations and the whole public DHT
 * lost seconds after start. docs/upstream/autonat-v2-server-closes-shared-connection.md.
 */
export const AUTONAT_V2_SERVER_PROTOCOL = '/libp2p/autonat/2/dial-request'

/** The NAT traversal choices of one node. */
export interface NatTraversalOptions {
  /** Serve as a circuit relay for others (`--relay`). */
  relayServer: boolean
  /** Ask the home router for a port mapping with UPnP / NAT-PMP (`--upnp`). */
  upnp: boolean
}

/** Transports, listen addresses and services to merge into the libp2p config. */
export interface NatTraversalConfig {
  transports: Array<(components: any) => Transport>
  listen: string[]
  services: Record<string, unknown>
}

/**
 * The `--public` parts of the libp2p config. `listen` is what the user asked for (or the
 * loopback default, which `--public` replaces with PUBLIC_LISTEN); one `/p2p-circuit` entry per
 * relay reservation is added, so a relay that dies leaves us reachable through the other.
 */
export async function natTraversalConfig (listen: string[], loopbackDefault: boolean, options: NatTraversalOptions): Promise<NatTraversalConfig> {
  const transports: NatTraversalConfig['transports'] = [circuitRelayTransport({ reservationCompletionTimeout: 10_000 })]
  const addrs = loopbackDefault ? [...PUBLIC_LISTEN] : [...listen]
  const circuits = addrs.filter(a => a === '/p2p-circuit').length
  for (let i = circuits; i < RELAY_RESERVATIONS; i++) addrs.push('/p2p-circuit')

  const services: Record<string, unknown> = {
    autoNAT: autoNATv2(),
    dcutr: dcutr()
  }
  if (options.relayServer) services.relay = circuitRelayServer({ reservations: RELAY_SERVER_LIMITS })
  if (options.upnp) {
    const { uPnPNAT } = await import('@libp2p/upnp-nat')
    services.upnp = uPnPNAT()
  }
  return { transports, listen: addrs, services }
}

