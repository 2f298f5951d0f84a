/**
 * Bytes this process (or another, by pid) has written with write()-family
 * system calls, from Linux's /proc/<pid>/io `wchar`. For a process that hosts
 * only libp2p nodes on loopback, the growth of `wchar` over a phase is the
 * bytes its sockets sent (Noise frames: gossipsub, DHT, identify, ping, repair),
 * plus whatever it wrote to stdout, stderr or IPC, which the caller subtracts.
 * Undefined where /proc is not available.
 */

import { readFileSync } from 'node:fs'

/** `wchar` of `pid` (default: this process), or undefined. */
export function bytesWritten (pid: number | 'self' = 'self'): number | undefined {
  try {
    const match = /^wchar:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

/** CPU time (user + system, ms) and resident memory (bytes) of another process, from /proc. */
export function processUsage (pid: number): { cpuMs: { user: number, system: number }, rss: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = 100 // USER_HZ on Linux
    const user = Number(fields[11]) * 1000 / ticks
    const system = Number(fields[12]) * 1000 / ticks
    const rss = Number(fields[21]) * 4096
    return { cpuMs: { user, system }, rss }
  } catch {
    return undefined
  }
}
