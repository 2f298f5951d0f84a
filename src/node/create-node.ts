/**
 * The libp2p factory: TCP, Noise, Yamux, identify, ping, a private Kademlia DHT
 * (plus the public one with `--public`), gossipsub tuned for chat, and optional
 * mDNS. With `--public` also circuit relay, AutoNAT and DCUtR
 * (nat-traversal.ts). Everything a p2pchat peer runs on.
 */

import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub, type GossipSub, type GossipsubOpts } from '@libp2p/gossipsub'
import { identify, type Identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { followNewestConnections } from './gossipsub-restart.js'
import { logLinks } from './link-log.js'
import { AUTONAT_V2_SERVER_PROTOCOL, natTraversalConfig } from './nat-traversal.js'
import type { Datastore } from 'interface-datastore'
import {
  CHAT_DHT_PROTOCOL, COLOCATION_WHITELIST, CONNECTION_PING_INTERVAL_MS, PING_STREAMS_PER_CONNECTION, DEFAULT_LISTEN, GOSSIP_DECODE_LIMITS,
  GOSSIP_MAX_INBOUND_BYTES, IDONTWANT_MIN_BYTES, PROVIDER_RECORD_TTL_S, PUBLIC_DHT_PROTOCOL
} from './constants.js'
import { createDialPolicy, ExplicitHosts, PeerBlocklist } from './dial-policy.js'
import { fastMsgId } from './fast-msg-id.js'

/** The services every chat node has. `publicDht` exists only with `--public`. */
// A type alias, not an interface: libp2p's ServiceMap needs an index signature.
export type ChatServices = {
  identify: Identify
  ping: Ping
  dht: KadDHT
  publicDht?: KadDHT
  pubsub: GossipSub
}

/** A started libp2p node with the chat services. */
export type ChatNode = Libp2p<ChatServices>

/** Options for createChatNode. */
export interface NodeOptions {
  /** Multiaddrs to listen on. @default ['/ip4/127.0.0.1/tcp/0'] */
  listen: string[]
  /** Enable mDNS LAN discovery. @default false */
  mdns: boolean
  /** Join the public IPFS DHT through its bootstrap list, and allow dialing public addresses. @default false */
  public: boolean
  /** The private DHT's protocol id. @default '/p2pchat/kad/1.0.0' */
  dhtProtocol: string
  /** Node identity; a fresh Ed25519 key when absent. */
  privateKey?: PrivateKey
  /** Persistent datastore for the peer store and DHT records; in memory when absent. */
  datastore?: Datastore
  /** Hosts the user named explicitly (allowed even when public). */
  explicitHosts: ExplicitHosts
  /** Peers refused in both directions (partition tests, the simulator). */
  blocklist: PeerBlocklist
  /** Overrides for gossipsub (the simulator tunes D, heartbeat, ...). */
  gossipsub: Partial<GossipsubOpts>
  /** Public bootstrap peers, used only when `public` is true. */
  publicBootstrap: string[]
  /** Serve as a circuit relay for others (`--relay`; needs `public`). @default false */
  relayServer: boolean
  /** Map a port on the home router with UPnP / NAT-PMP (`--upnp`; needs `public`). @default false */
  upnp: boolean
  /** One-line diagnostics. */
  log: (line: string) => void
}

/** Defaults for NodeOptions. */
export const DEFAULT_NODE_OPTIONS: NodeOptions = {
  listen: DEFAULT_LISTEN,
  mdns: false,
  public: false,
  dhtProtocol: CHAT_DHT_PROTOCOL,
  explicitHosts: new ExplicitHosts(),
  blocklist: new PeerBlocklist(),
  gossipsub: {},
  publicBootstrap: [],
  relayServer: false,
  upnp: false,
  log: () => {}
}

/**
 * Gossipsub settings for chat: bounded inputs, loopback colocation allowed, signed messages,
 * duplicates dropped before their signature is verified again, no IDONTWANT for chat-sized messages.
 */
export function chatGossipsubOptions (overrides: Partial<GossipsubOpts> = {}): Partial<GossipsubOpts> {
  return {
    globalSignaturePolicy: 'StrictSign',
    emitSelf: false,
    fallbackToFloodsub: false,
    allowPublishToZeroTopicPeers: false,
    maxInboundDataLength: GOSSIP_MAX_INBOUND_BYTES,
    decodeRpcLimits: GOSSIP_DECODE_LIMITS,
    scoreParams: { IPColocationFactorWhitelist: new Set(COLOCATION_WHITELIST) },
    fastMsgIdFn: fastMsgId,
    idontwantMinDataSize: IDONTWANT_MIN_BYTES,
    // Chat must work over a relayed (limited) connection while the direct upgrade is pending or
    // impossible; the relay's limits bound what crosses it (constants.ts, RELAY_SERVER_LIMITS).
    runOnLimitedConnection: true,
    ...overrides
  }
}

/** Creates and starts a chat node. */
export async function createChatNode (options: Partial<NodeOptions> = {}): Promise<ChatNode> {
  const opts: NodeOptions = { ...DEFAULT_NODE_OPTIONS, ...options }
  const peerDiscovery: NonNullable<Libp2pOptions<ChatServices>['peerDiscovery']> = []
  if (opts.mdns) peerDiscovery.push(mdns())

  const services: Record<string, unknown> = {
    identify: identify(),
    ping: ping({ maxInboundStreams: PING_STREAMS_PER_CONNECTION, maxOutboundStreams: PING_STREAMS_PER_CONNECTION }),
    dht: kadDHT({
      protocol: opts.dhtProtocol,
      clientMode: false,
      peerInfoMapper: passthroughMapper,
      allowQueryWithZeroPeers: true,
      logPrefix: 'libp2p:p2pchat-dht',
      datastorePrefix: '/p2pchat-dht',
      metricsPrefix: 'p2pchat_dht',
      providers: { provideValidity: PROVIDER_RECORD_TTL_S },
      reprovide: { validity: PROVIDER_RECORD_TTL_S * 1000, threshold: PROVIDER_RECORD_TTL_S * 1000 / 8 }
    }),
    pubsub: gossipsub(chatGossipsubOptions(opts.gossipsub))
  }
  const transports: NonNullable<Libp2pOptions<ChatServices>['transports']> = [tcp()]
  let listen = opts.listen
  if (opts.public) {
    services.publicDht = kadDHT({
      protocol: PUBLIC_DHT_PROTOCOL,
      peerInfoMapper: removePrivateAddressesMapper
      // clientMode left unset: kad-dht is a client until one of our addresses is confirmed
      // publicly dialable (AutoNAT), then a server, and a client again if that is lost.
    })
    const { bootstrap } = await import('@libp2p/bootstrap')
    if (opts.publicBootstrap.length > 0) peerDiscovery.push(bootstrap({ list: opts.publicBootstrap }))
    const nat = await natTraversalConfig(opts.listen, sameList(opts.listen, DEFAULT_LISTEN), { relayServer: opts.relayServer, upnp: opts.upnp })
    transports.push(...nat.transports)
    listen = nat.listen
    Object.assign(services, nat.services)
  }

  const node = await createLibp2p<ChatServices>({
    ...(opts.privateKey !== undefined ? { privateKey: opts.privateKey } : {}),
    ...(opts.datastore !== undefined ? { datastore: opts.datastore } : {}),
    addresses: { listen },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: createDialPolicy(opts.public, opts.explicitHosts, opts.blocklist),
    connectionMonitor: { pingInterval: CONNECTION_PING_INTERVAL_MS },
    peerDiscovery,
    services: services as unknown as Libp2pOptions<ChatServices>['services']
  })
  followNewestConnections(node.services.pubsub, peer => node.getConnections(peer))
  if (opts.public) {
    // Client only: see AUTONAT_V2_SERVER_PROTOCOL.
    await node.unhandle(AUTONAT_V2_SERVER_PROTOCOL)
    logLinks(node, opts.log)
    logPublicDhtMode(node, opts.log)
  }
  return node
}

function sameList (a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * Logs `public DHT mode: client|server` whenever kad-dht switches (it does so by itself after our
 * confirmed addresses change: server once AutoNAT confirmed a public one).
 */
function logPublicDhtMode (node: ChatNode, log: (line: string) => void): void {
  const dht = node.services.publicDht
  if (dht === undefined) return
  let last = dht.getMode()
  log(`public DHT mode: ${last}`)
  node.addEventListener('self:peer:update', () => {
    // kad-dht reacts to the same event asynchronously; look once it has.
    setTimeout(() => {
      const mode = dht.getMode()
      if (mode !== last) log(`public DHT mode: ${mode}`)
      last = mode
    }, 100).unref()
  })
}
