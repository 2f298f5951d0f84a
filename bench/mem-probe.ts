/**
 * A memory probe for profiling the soak: preloaded into each chat process with
 * `P2PCHAT_BENCH_NODE_FLAGS="--import ./dist/bench/mem-probe.js"` and `P2PCHAT_MEM_PROBE_DIR=<dir>`,
 * it appends one JSON line to `<dir>/<pid>.ndjson` every 15 s (`P2PCHAT_MEM_PROBE_MS`):
 * process.memoryUsage(), V8's heap spaces (used / reserved / resident MB) and the resident
 * set split by mapping from /proc/self/smaps: the brk heap (main-thread malloc), glibc's
 * thread arenas (64 MiB-aligned anonymous mappings), other anonymous memory (V8's heap,
 * large mallocs), and file-backed pages (the node binary, LevelDB's mmap'd tables). MB.
 */
import { appendFileSync, readFileSync } from 'node:fs'
import v8 from 'node:v8'

const MB = (bytes: number): number => Math.round(bytes / 104_857.6) / 10
const ARENA = 64n * 1024n * 1024n

interface Mapping { start: bigint, end: bigint, perm: string, path: string, rssKb: number }

/** Resident MB by kind of mapping. */
function residentByKind (): Record<string, number> {
  const maps: Mapping[] = []
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$/.exec(line)
    if (head !== null) {
      maps.push({ start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perm: head[3], path: head[4].trim(), rssKb: 0 })
      continue
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line)
    if (rss !== null && maps.length > 0) maps[maps.length - 1].rssKb = Number(rss[1])
  }
  const kb = { brk: 0, arenas: 0, anon: 0, file: 0, levelTables: 0, other: 0 }
  maps.forEach((m, i) => {
    if (m.path === '[heap]') kb.brk += m.rssKb
    else if (m.path === '') {
      // A glibc arena heap: 64 MiB-aligned, its used part followed by its reserved rest.
      const next = maps[i + 1]
      const span = next !== undefined && next.path === '' && next.start === m.end && next.perm.startsWith('---') ? next.end - m.start : m.end - m.start
      if (m.start % ARENA === 0n && m.perm.startsWith('rw') && span === ARENA) kb.arenas += m.rssKb
      else kb.anon += m.rssKb
    } else if (m.path.startsWith('/')) {
      kb.file += m.rssKb
      if (m.path.endsWith('.ldb')) kb.levelTables += m.rssKb
    } else kb.other += m.rssKb
  })
  return Object.fromEntries(Object.entries(kb).map(([k, v]) => [k, Math.round(v / 102.4) / 10]))
}

function sample (dir: string, began: number): void {
  const usage = process.memoryUsage()
  const heap = v8.getHeapStatistics()
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map(s =>
    [s.space_name.replace(/_space$/, ''), [MB(s.space_used_size), MB(s.space_size), MB(s.physical_space_size)]]))
  const line = {
    t: Math.round((Date.now() - began) / 1000),
    rss: MB(usage.rss),
    heapTotal: MB(usage.heapTotal),
    heapUsed: MB(usage.heapUsed),
    external: MB(usage.external),
    arrayBuffers: MB(usage.arrayBuffers),
    v8Resident: MB(heap.total_physical_size),
    v8Malloced: MB(heap.malloced_memory),
    spaces,
    resident: residentByKind()
  }
  appendFileSync(`${dir}/${process.pid}.ndjson`, `${JSON.stringify(line)}\n`)
}

const dir = process.env.P2PCHAT_MEM_PROBE_DIR
if (dir !== undefined && dir !== '') {
  const began = Date.now()
  sample(dir, began)
  setInterval(() => { sample(dir, began) }, Number(process.env.P2PCHAT_MEM_PROBE_MS ?? 15_000)).unref()
}
