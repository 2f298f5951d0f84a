/**
 * Failure detection (issue 15), measured:
 *  1. model, every peer running the room driver (probes, suspicions, presence) over lossy,
 *     delayed links: time from a crash, or a silent cut (links stay up, every packet lost), to
 *     the peer gone from every other roster, at 5, 25, 100 and 1,000 peers, 3 seeds;
 *  2. model: healthy peers removed from any roster during 10 minutes of 20 % loss on every
 *     packet (broadcasts, probes, pulls), and during 10 minutes of 2 s (and 4 s) pauses
 *     (SIGSTOP), one peer after another every 20 s, at 25 and 100 peers;
 *  3. live: the bytes one probe costs on a real libp2p connection (a TCP proxy counts them),
 *     direct and indirect;
 *  4. model: presence traffic per peer per minute, without and with probing, at 25 peers,
 *     in steady state and under 20 % loss.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { ModelNetwork } from '../src/sim/model-network.js'
import { createChatNode, type ChatNode } from '../src/node/create-node.js'
import { pingPeer, probeVia, handleProbe } from '../src/room/probe-protocol.js'
import { decodeEphemeral } from '../src/presence/index.js'
import { summarize } from './stats.js'

const SEEDS = [1, 2, 3]

function who (net: ModelNetwork, id: string): string[] {
  return (net.node(id).participant.driver?.who(net.now) ?? []).map(e => e.peerId)
}

/** Virtual ms from the fault to each other peer's roster lacking the victim. */
function detect (n: number, seed: number, how: 'crash' | 'cut', limitMs = 120_000): number[] {
  const net = new ModelNetwork({ seed, nodes: n, participant: 'driver', presence: true, recordDeliveries: false })
  net.runFor(n >= 1000 ? 90_000 : 60_000)
  const victim = `p${(2 + seed) % n}`
  return watchFault(net, victim, how, limitMs, id => who(net, id).includes(victim))
}

/** Crashes or cuts `victim`, then the virtual ms until each other peer stops listing it (`lists`). */
function watchFault (net: ModelNetwork, victim: string, how: 'crash' | 'cut', limitMs: number, lists: (id: string) => boolean): number[] {
  const others = net.ids.filter(id => id !== victim)
  const start = net.now
  if (how === 'crash') net.crash(victim)
  else net.silence(victim)
  const gone = new Map<string, number>()
  while (net.now - start < limitMs && gone.size < others.length) {
    net.runFor(100)
    for (const id of others) if (!gone.has(id) && !lists(id)) gone.set(id, net.now - start)
  }
  return others.map(id => gone.get(id) ?? Number.POSITIVE_INFINITY)
}

/**
 * The same at 10,000 peers, where a model of every peer announcing floods N records (N² copies):
 * only the victim's 8 ring neighbours and every 100th peer announce and probe; the rest hear the
 * roster and know the room's size (so the suspicion timer scales with 10,000).
 */
function detectLarge (n: number, seed: number, how: 'crash' | 'cut', limitMs = 120_000): number[] {
  const victimIndex = Math.floor(n / 2)
  const victim = `p${victimIndex}`
  const near = new Set(Array.from({ length: 9 }, (_, k) => `p${victimIndex - 4 + k}`))
  const net = new ModelNetwork({ seed, nodes: n, participant: 'driver', presence: true, recordDeliveries: false, announcers: id => near.has(id) || Number(id.slice(1)) % 100 === 0 })
  net.runFor(30_000)
  return watchFault(net, victim, how, limitMs, id => net.node(id).participant.driver?.presence.entry(victim, net.now) !== undefined)
}

/** Crash and silent cut at 10,000 peers (a separate benchmark: about 10 minutes of wall time). */
export async function runFailureDetectionLarge (n = 10_000): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const crash = detectLarge(n, 1, 'crash')
  const cut = detectLarge(n, 1, 'cut')
  return {
    lines: [
      `failure detection at ${n.toLocaleString('en')} peers (model, 1 seed; the victim's 8 neighbours and every 100th peer announce and probe, all know the room's size)`,
      `  crash → gone from every other roster: ${fmt(crash)}`,
      `  silent cut → gone from every other roster: ${fmt(cut)} (floor: 4 × log10(n) = ${4 * Math.log10(n)} probe periods of suspicion)`
    ],
    figures: { crash: summarize(crash.filter(Number.isFinite)), cut: summarize(cut.filter(Number.isFinite)) }
  }
}

/** Healthy peers dropped from some roster, counted second by second, over `minutes`. */
function falseRemovals (n: number, seed: number, minutes: number, fault: 'loss' | 'pauses', pauseMs = 2_000): { removals: number, suspicions: number, refutations: number } {
  const net = new ModelNetwork({ seed, nodes: n, participant: 'driver', presence: true, recordDeliveries: false })
  net.runFor(60_000)
  if (fault === 'loss') net.setFaultRates({ dropRate: 0.2 })
  let removals = 0
  const before = new Map(net.ids.map(id => [id, new Set(who(net, id))]))
  for (let s = 0; s < minutes * 60; s++) {
    if (fault === 'pauses' && s % 20 === 5) net.pause(net.ids[Math.floor(s / 20) % n], pauseMs)
    net.runFor(1_000)
    for (const id of net.ids) {
      const now = new Set(who(net, id))
      for (const peer of before.get(id) ?? []) if (!now.has(peer)) removals++
      before.set(id, now)
    }
  }
  let suspicions = 0
  let refutations = 0
  for (const id of net.ids) {
    suspicions += net.node(id).participant.driver?.probeStatus()?.suspects ?? 0
    refutations += net.node(id).participant.driver?.presence.status(net.now).refutations ?? 0
  }
  return { removals, suspicions, refutations }
}

/** Presence messages and payload bytes each peer receives per minute, by kind, and probes each peer makes. */
function traffic (n: number, probing: boolean, loss: number): { perMin: Record<string, number>, payloadPerMin: number, probesPerMin: number, indirectPerMin: number } {
  const counts: Record<string, number> = {}
  let payload = 0
  let counting = false
  const net = new ModelNetwork({
    seed: 9,
    nodes: n,
    participant: 'driver',
    presence: true,
    probing,
    recordDeliveries: false,
    startAt: 1_764_000_000_000,
    onEvent: (node, event) => {
      if (!counting || event.type !== 'in:delivered' || event.message.kind !== 'ephemeral' || event.message.senderId === node) return
      const decoded = decodeEphemeral(event.message.content)
      const type = decoded.ok ? decoded.value.type : 'other'
      counts[type] = (counts[type] ?? 0) + 1
      payload += event.message.content.byteLength
    }
  })
  net.runFor(90_000)
  if (loss > 0) net.setFaultRates({ dropRate: loss })
  const probesBefore = net.ids.map(id => net.node(id).participant.driver?.probeStatus() ?? { probes: 0, indirect: 0 })
  counting = true
  const minutes = 10
  net.runFor(minutes * 60_000)
  const probesAfter = net.ids.map(id => net.node(id).participant.driver?.probeStatus() ?? { probes: 0, indirect: 0 })
  const per = (x: number): number => Math.round(x / n / minutes * 10) / 10
  return {
    perMin: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, per(v)])),
    payloadPerMin: per(payload),
    probesPerMin: per(probesAfter.reduce((s, p, i) => s + p.probes - probesBefore[i].probes, 0)),
    indirectPerMin: per(probesAfter.reduce((s, p, i) => s + p.indirect - probesBefore[i].indirect, 0))
  }
}

/** A TCP proxy on loopback that counts the bytes it carries both ways. */
async function countingProxy (to: { host: string, port: number }): Promise<{ server: Server, port: number, bytes: () => number }> {
  let bytes = 0
  const sockets = new Set<Socket>()
  const server = createServer(client => {
    const upstream = connect(to.port, to.host)
    sockets.add(client); sockets.add(upstream)
    client.on('data', d => { bytes += d.byteLength; upstream.write(d) })
    upstream.on('data', d => { bytes += d.byteLength; client.write(d) })
    const end = (): void => { client.destroy(); upstream.destroy() }
    client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const close = server.close.bind(server)
  server.close = (cb?: (err?: Error) => void) => { for (const s of sockets) s.destroy(); return close(cb) }
  return { server, port, bytes: () => bytes }
}

function tcpOf (node: ChatNode): { host: string, port: number } {
  for (const addr of node.getMultiaddrs()) {
    const parts = addr.getComponents()
    if (parts[0]?.value === '127.0.0.1' && parts[1]?.name === 'tcp') return { host: '127.0.0.1', port: Number(parts[1].value) }
  }
  throw new Error('no loopback TCP address')
}

/** Bytes on the wire per direct probe (a libp2p ping on an open connection) and per indirect one (request, helper's ping, answer). */
async function probeBytes (rounds = 200): Promise<{ direct: number, indirect: number }> {
  const [a, helper, target] = [await createChatNode(), await createChatNode(), await createChatNode()]
  try {
    await handleProbe(helper, () => {})
    const toHelper = await countingProxy(tcpOf(helper))
    const helperToTarget = await countingProxy(tcpOf(target))
    await a.dial(multiaddr(`/ip4/127.0.0.1/tcp/${toHelper.port}/p2p/${helper.peerId.toString()}`))
    await helper.dial(multiaddr(`/ip4/127.0.0.1/tcp/${helperToTarget.port}/p2p/${target.peerId.toString()}`))
    for (let i = 0; i < 5; i++) await pingPeer(a, helper.peerId, 2_000) // warm up
    await probeVia(a, helper.peerId, target.peerId.toString(), 500, 2_000)
    const d0 = toHelper.bytes()
    for (let i = 0; i < rounds; i++) await pingPeer(a, helper.peerId, 2_000)
    const direct = (toHelper.bytes() - d0) / rounds
    const i0 = toHelper.bytes() + helperToTarget.bytes()
    for (let i = 0; i < rounds; i++) await probeVia(a, helper.peerId, target.peerId.toString(), 500, 2_000)
    const indirect = (toHelper.bytes() + helperToTarget.bytes() - i0) / rounds
    toHelper.server.close(); helperToTarget.server.close()
    return { direct: Math.round(direct), indirect: Math.round(indirect) }
  } finally {
    await Promise.all([a, helper, target].map(async n => { await n.stop() }))
  }
}

const fmt = (xs: number[]): string => {
  const s = summarize(xs.filter(Number.isFinite))
  const missing = xs.filter(x => !Number.isFinite(x)).length
  return `median ${(s.median / 1000).toFixed(1)} s, p99 ${(s.p99 / 1000).toFixed(1)} s, max ${(s.max / 1000).toFixed(1)} s${missing > 0 ? `, ${missing} never` : ''}`
}

/** Runs every part; returns report lines and figures. */
export async function runFailureDetection (sizes: number[] = [5, 25, 100, 1000]): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const lines = ['failure detection (SWIM + Lifeguard; model: the room driver over links with 20 ms + U(0, 10) ms latency)']
  const figures: Record<string, unknown> = {}
  lines.push('  crash or silent cut → gone from every other roster (virtual time, 3 seeds, every survivor):')
  for (const n of sizes) {
    const seeds = n >= 1000 ? [1] : SEEDS
    const crash = seeds.flatMap(seed => detect(n, seed, 'crash'))
    const cut = seeds.flatMap(seed => detect(n, seed, 'cut'))
    figures[`detect${n}`] = { crash: summarize(crash.filter(Number.isFinite)), cut: summarize(cut.filter(Number.isFinite)) }
    lines.push(`    ${String(n).padStart(5)} peers${seeds.length === 1 ? ' (1 seed)' : ''}: crash ${fmt(crash)}; cut ${fmt(cut)}`)
  }
  lines.push('  healthy peers removed from any roster in 10 minutes (counted each second):')
  for (const n of [25, 100]) {
    const loss = falseRemovals(n, 1, 10, 'loss')
    const pauses = falseRemovals(n, 2, 10, 'pauses')
    const long = falseRemovals(n, 2, 10, 'pauses', 4_000)
    figures[`false${n}`] = { loss, pauses, long }
    lines.push(`    ${String(n).padStart(5)} peers: 20 % loss ${loss.removals} (${loss.suspicions} suspicions, ${loss.refutations} refutations); 2 s pauses every 20 s ${pauses.removals} (${pauses.suspicions} suspicions); 4 s pauses ${long.removals} (${long.suspicions} suspicions, ${long.refutations} refutations)`)
  }
  const bytes = await probeBytes()
  figures.probeBytes = bytes
  lines.push(`  bytes per probe on a real connection (Noise, Yamux, multistream-select; counted by a TCP proxy): direct ${bytes.direct} B, indirect ${bytes.indirect} B`)
  lines.push('  presence traffic per peer per minute at 25 peers (model; probes × the bytes above):')
  for (const loss of [0, 0.2]) {
    for (const probing of [false, true]) {
      const t = traffic(25, probing, loss)
      const probeKb = (t.probesPerMin * bytes.direct + t.indirectPerMin * bytes.indirect) / 1000
      figures[`traffic25-${loss}-${probing ? 'probing' : 'no-probing'}`] = { ...t, probeKb }
      lines.push(`    loss ${String(loss * 100).padStart(2)} %, ${probing ? 'with probing   ' : 'without probing'}: ${Object.entries(t.perMin).map(([k, v]) => `${k} ${v}`).join(', ')} messages; ${(t.payloadPerMin / 1000).toFixed(1)} KB payload; probes ${t.probesPerMin} direct + ${t.indirectPerMin} indirect = ${probeKb.toFixed(1)} KB`)
    }
  }
  return { lines, figures }
}
