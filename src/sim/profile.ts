/**
 * CPU profiling of a run's measured phase with the built-in inspector (the same
 * data as `node --cpu-prof`, but only for the phase that matters), and a summary
 * of one or more profiles: top functions and packages by self time.
 */

import { Session } from 'node:inspector/promises'
import { writeFile } from 'node:fs/promises'
import type { ProfileEntry, ProfileSummary } from './measurement.js'

/** The parts of a V8 CPU profile the summary reads. */
export interface CpuProfile {
  nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number } }>
  samples?: number[]
  timeDeltas?: number[]
}

/** Starts profiling this process; the returned function stops and writes `file`. */
export async function startProfile (): Promise<(file: string) => Promise<CpuProfile>> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 1000 })
  await session.post('Profiler.start')
  return async (file: string) => {
    const { profile } = await session.post('Profiler.stop') as unknown as { profile: CpuProfile }
    session.disconnect()
    await writeFile(file, JSON.stringify(profile))
    return profile
  }
}

function location (url: string): string {
  const modules = url.lastIndexOf('node_modules/')
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length)
  const src = url.search(/\/(src|dist|bench)\//)
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '')
}

function packageOf (url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)'
  if (url.startsWith('wasm://')) return '(wasm: Noise ChaCha20-Poly1305)'
  if (url.startsWith('node:')) return 'node:' + (url.slice(5).split('/')[0] === 'internal' ? 'internal' : url.slice(5).split('/')[0])
  const modules = url.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  return 'p2pchat'
}

/** Top functions and packages by self time over `profiles` (idle time excluded). */
export function summarizeProfiles (profiles: CpuProfile[], files: string[], count = 25): ProfileSummary {
  const byFunction = new Map<string, number>()
  const byPackage = new Map<string, number>()
  let total = 0
  for (const profile of profiles) {
    const self = new Map<number, number>()
    const samples = profile.samples ?? []
    const deltas = profile.timeDeltas ?? []
    for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (deltas[i] ?? 0))
    for (const node of profile.nodes) {
      const t = self.get(node.id) ?? 0
      const { functionName, url, lineNumber } = node.callFrame
      if (t === 0 || functionName === '(idle)') continue
      total += t
      const name = `${functionName === '' ? '(anonymous)' : functionName} ${url === '' ? '' : `${location(url)}:${lineNumber + 1}`}`.trim()
      byFunction.set(name, (byFunction.get(name) ?? 0) + t)
      const pkg = packageOf(url, functionName)
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t)
    }
  }
  const top = (map: Map<string, number>, aggregate: boolean): ProfileEntry[] => [...map]
    .sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([name, t]) => ({ name, share: total > 0 ? t / total : 0, ...(aggregate ? { aggregate } : {}) }))
  return { files, top: top(byFunction, false), packages: top(byPackage, true) }
}
