/**
 * The persistence layer's costs: own messages written durably per second (appendOwn
 * awaited one by one with fsync, the path every typed line takes; a burst through the
 * group commit; and without fsync for comparison), disk bytes per stored message, and
 * the start-up time of a room whose store holds 100,000 messages (open + load of the
 * newest 1,000 and 19,000 ids + restore into a channel; not a scan of all 100k).
 * Run alone: `npm run build && node dist/bench/store.js`.
 */

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { spawn } from 'node:child_process'
import { ReliableChannel, type ReliableMessage } from '../src/reliability/index.js'
import { openProfile, openStore } from '../src/store/index.js'
import { encodeChatContent } from '../src/wire/index.js'
import { freePort } from '../src/sim/free-port.js'

const ROOM = 'p2pchat/bench'

async function dirSize (dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? await dirSize(path) : (await stat(path)).size
  }
  return total
}

/** A realistic stream: 8 peers in turn, ~40-char lines, each hearing every line (513-byte bloom filters). */
function conversation (count: number, start: number): ReliableMessage[] {
  const peers = Array.from({ length: 8 }, (_, i) => new ReliableChannel(`12D3KooWBenchPeer${i}xxxxxxxxxxxxxxxxxxxxxxxxxxxxx`, ROOM))
  const out: ReliableMessage[] = []
  for (let i = 0; i < count; i++) {
    const from = peers[i % peers.length]
    const content = encodeChatContent({ nick: `peer${i % peers.length}`, text: `this is chat line number ${i} of the bench`, action: false })
    const msg = from.send(content, start + i * 50)
    out.push(msg)
    for (const p of peers) if (p !== from) p.receive(msg, start + i * 50)
    if (i % 100 === 0) for (const p of peers) { p.drainEvents(); p.drainOutgoing(); p.drainPulls() }
  }
  return out
}

async function ownWriteRate (dir: string, sync: boolean, count: number): Promise<number> {
  const store = await openStore({ profile: 'bench', path: join(dir, `own-${String(sync)}`), syncOwnWrites: sync })
  const me = new ReliableChannel('12D3KooWBenchSelf', ROOM)
  const msgs = Array.from({ length: count }, (_, i) => me.send(encodeChatContent({ nick: 'me', text: `own line ${i}`, action: false }), Date.now() + i))
  const t0 = performance.now()
  for (const m of msgs) await store.appendOwn(ROOM, m)
  const rate = count / ((performance.now() - t0) / 1000)
  await store.close()
  return rate
}

async function burstRate (dir: string, count: number): Promise<{ rate: number, batches: number }> {
  const store = await openStore({ profile: 'bench', path: join(dir, 'burst') })
  const me = new ReliableChannel('12D3KooWBenchSelf', ROOM)
  const msgs = Array.from({ length: count }, (_, i) => me.send(encodeChatContent({ nick: 'me', text: `pasted line ${i}`, action: false }), Date.now() + i))
  const t0 = performance.now()
  await Promise.all(msgs.map(async (m) => { await store.appendOwn(ROOM, m) }))
  const rate = count / ((performance.now() - t0) / 1000)
  const batches = (store as unknown as { durable: { batches: number } }).durable.batches
  await store.close()
  return { rate, batches }
}

async function fill (path: string, msgs: ReliableMessage[], maxMessages: number): Promise<number> {
  const store = await openStore({ profile: 'bench', path, retention: { maxMessagesPerRoom: maxMessages } })
  const t0 = performance.now()
  for (let i = 0; i < msgs.length; i += 200) await Promise.all(msgs.slice(i, i + 200).map(async (m) => { await store.appendDelivered(ROOM, m) }))
  const rate = msgs.length / ((performance.now() - t0) / 1000)
  await store.kv.compact('/') // steady state: LevelDB compacts on its own as a store grows
  await store.close()
  return rate
}

const BIN = fileURLToPath(new URL('../../bin/p2pchat.js', import.meta.url))


/** Spawns the CLI and resolves with the ms from spawn to its first `peer-join` event (and the child). */
function spawnUntilJoin (args: string[], env: Record<string, string>): { ready: Promise<number>, stop: () => void } {
  const t0 = performance.now()
  const child = spawn(process.execPath, [BIN, ...args, '--json'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } })
  let timer: NodeJS.Timeout | undefined
  const ready = new Promise<number>((resolve, reject) => {
    timer = setTimeout(() => { reject(new Error('no peer-join within 20 s')) }, 20_000)
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"peer-join"')) { clearTimeout(timer); resolve(performance.now() - t0) }
    })
  })
  ready.catch(() => {})
  return { ready, stop: () => { clearTimeout(timer); child.kill('SIGTERM') } }
}

/** Process start to chat-ready for a profile holding 100,000 messages, with one peer already up. */
async function chatReadyWithStore (dataDir: string, runs: number): Promise<{ median: number, min: number, max: number }> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const env = { P2PCHAT_LOCAL_PORT: String(await freePort()), P2PCHAT_DATA_DIR: dataDir }
    const peer = spawnUntilJoin(['--topic', 'bench', '--ephemeral'], env)
    await new Promise(resolve => setTimeout(resolve, 1000)) // the peer holds the local port
    const big = spawnUntilJoin(['--topic', 'bench', '--profile', 'big'], env)
    try {
      times.push(await big.ready)
    } finally {
      big.stop()
      peer.stop()
      await new Promise(resolve => setTimeout(resolve, 700)) // the profile lock is released at exit
    }
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] }
}

/** Runs the store benchmark. */
export async function runStoreBench (): Promise<{ lines: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pchat-bench-store-'))
  const lines: string[] = ['## store (LevelDB, one room)']
  try {
    const synced = await ownWriteRate(dir, true, 1_000)
    const unsynced = await ownWriteRate(dir, false, 5_000)
    const burst = await burstRate(dir, 5_000)
    lines.push(`own messages written durably (fsync, appendOwn awaited one at a time): ${synced.toFixed(0)} msg/s`)
    lines.push(`own messages, burst of 5000 through the group commit (fsync): ${burst.rate.toFixed(0)} msg/s in ${burst.batches} batches`)
    lines.push(`own messages without fsync (safe against kill -9, not power loss): ${unsynced.toFixed(0)} msg/s`)

    const now = Date.now()
    const tenK = conversation(10_000, now - 10_000 * 50)
    const sizePath = join(dir, 'size')
    const deliveredRate = await fill(sizePath, tenK, 1_000_000)
    const bytes = await dirSize(sizePath)
    lines.push(`received messages stored (appendDelivered, no fsync): ${deliveredRate.toFixed(0)} msg/s`)
    lines.push(`disk per stored message (10,000 messages, 8 senders, ~40-char lines, 513 B bloom each; snappy on): ${(bytes / tenK.length).toFixed(0)} B`)

    const dataDir = join(dir, 'data')
    const setup = await openProfile({ dataDir, profile: 'big' })
    await setup.close()
    const big = conversation(100_000, now - 100_000 * 50)
    await fill(join(dataDir, 'big', 'store'), big, 1_000_000)
    const runs: Array<{ open: number, load: number, restore: number, total: number }> = []
    let loaded = 0
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now()
      const profile = await openProfile({ dataDir, profile: 'big', store: { retention: { maxMessagesPerRoom: 1_000_000 } } })
      const t1 = performance.now()
      const room = await profile.store.loadRoom(ROOM, { messages: 1_000, seen: 19_000 })
      const t2 = performance.now()
      const channel = ReliableChannel.fromSnapshot(profile.peerId, ROOM, {}, room.restore, Date.now())
      const t3 = performance.now()
      runs.push({ open: t1 - t0, load: t2 - t1, restore: t3 - t2, total: t3 - t0 })
      loaded = channel.history().length
      await profile.close()
    }
    runs.sort((a, b) => a.total - b.total)
    const mid = runs[2]
    lines.push(`start-up with 100,000 stored messages (open + load newest ${loaded} + 19,000 ids + restore), median of 5: ${mid.total.toFixed(0)} ms ` +
      `(open ${mid.open.toFixed(0)}, load ${mid.load.toFixed(0)}, restore ${mid.restore.toFixed(0)}; min ${runs[0].total.toFixed(0)}, max ${runs[4].total.toFixed(0)})`)
    lines.push(`store size with 100,000 messages: ${((await dirSize(join(dataDir, 'big', 'store'))) / 2 ** 20).toFixed(1)} MiB`)
    const ready = await chatReadyWithStore(dataDir, 5)
    lines.push(`chat-ready with 100,000 stored messages (spawn \`p2pchat --topic bench --profile big\` to its first room peer, a peer already running), median of 5: ${ready.median.toFixed(0)} ms (min ${ready.min.toFixed(0)}, max ${ready.max.toFixed(0)}; target < 1500 ms)`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return { lines }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { lines } = await runStoreBench()
  for (const line of lines) console.log(line)
}
