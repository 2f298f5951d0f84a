/**
 * What a hostile repair client costs a real p2pchat process: a raw libp2p node on loopback
 * opens `/p2pchat/repair/1.0.0` streams and writes 1 MiB of garbage to each (an unterminated
 * `ff…` length prefix, an overlong `80 ×9 01` one, and one claiming 9,000 bytes). Reports the
 * target's CPU time per stream and per KiB sent (Linux /proc), and how long its `/status`
 * answer took right after. Before the length-prefix fix, 1 MiB of `0xff` cost 8.0 s of CPU.
 */

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { createChatNode } from '../src/node/create-node.js'
import { REPAIR_PROTOCOL } from '../src/room/repair-protocol.js'
import { freePort } from '../src/sim/free-port.js'

const BIN = fileURLToPath(new URL('../../bin/p2pchat.js', import.meta.url))
const MIB = 1024 * 1024

/** CPU time (user + system) of a process so far, in ms (Linux). */
function cpuMsOf (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10 // clock ticks of 10 ms
}

/** Runs the attack and returns report lines and figures. */
export async function runRepairAbuse (): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const port = await freePort()
  const child = spawn(process.execPath, [BIN, '--topic', 'abuse', '--json', '--ephemeral', '--listen', '/ip4/127.0.0.1/tcp/0'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'p2pchat-abuse-')) }
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  const answer = async (type: string, since: number): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 600; i++) {
      const line = out.slice(since).split('\n').find(l => l.includes(`"type":"${type}"`))
      if (line !== undefined) return JSON.parse(line) as Record<string, unknown>
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    throw new Error(`no ${type} answer`)
  }
  const attacker = await createChatNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  try {
    child.stdin.write('/id\n')
    const id = await answer('id', 0)
    const address = (id.addresses as string[]).find(a => a.includes('/ip4/127.0.0.1/'))
    if (address === undefined) throw new Error('no loopback address')
    await attacker.dial(multiaddr(address))
    const payloads: Array<[string, Uint8Array]> = [
      ['1 MiB of 0xff (unterminated prefix)', new Uint8Array(MIB).fill(0xff)],
      ['80 x9 01 (overlong prefix), then 1 MiB', Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, ...new Uint8Array(MIB)])],
      ['a prefix claiming 9,000 bytes, then 1 MiB', Uint8Array.from([0xa8, 0x46, ...new Uint8Array(MIB)])]
    ]
    const rows: Array<{ what: string, cpuMs: number, cpuMsPerKiB: number, statusMs: number }> = []
    for (const [what, bytes] of payloads) {
      const before = cpuMsOf(child.pid ?? 0)
      const stream = await attacker.dialProtocol(peerIdFromString(String(id.peerId)), REPAIR_PROTOCOL)
      for (let offset = 0; offset < bytes.byteLength && stream.status === 'open'; offset += 64 * 1024) {
        if (!stream.send(bytes.subarray(offset, offset + 64 * 1024))) await stream.onDrain().catch(() => {})
      }
      await stream.close().catch(() => {})
      const since = out.length
      const asked = performance.now()
      child.stdin.write('/status\n')
      await answer('status', since)
      const statusMs = performance.now() - asked
      const cpuMs = cpuMsOf(child.pid ?? 0) - before
      rows.push({ what, cpuMs, cpuMsPerKiB: cpuMs / (bytes.byteLength / 1024), statusMs })
    }
    const since = out.length
    child.stdin.write('/status\n')
    const dropped = (await answer('status', since)).dropped
    return {
      figures: { rows, dropped },
      lines: [
        'repair protocol abuse: a raw peer writes 1 MiB of garbage per stream to a p2pchat process',
        ...rows.map(r => `  ${r.what.padEnd(44)} target CPU ${r.cpuMs.toFixed(0).padStart(5)} ms (${r.cpuMsPerKiB.toFixed(3)} ms/KiB), /status after ${r.statusMs.toFixed(0)} ms`),
        `  target's drop counters: ${JSON.stringify(dropped)}`
      ]
    }
  } finally {
    try { await attacker.stop() } catch {}
    child.kill('SIGKILL')
  }
}
