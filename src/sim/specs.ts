/**
 * Parsers of the simulator's flag values: counts, probabilities, durations and
 * the `--partition` / `--churn` specs. Each returns the value or throws
 * P2pchatError('INVALID_FLAG') with a one-line reason (the CLI turns that into a
 * commander InvalidArgumentError).
 */

import { P2pchatError } from '../errors.js'
import type { ChurnSpec, PartitionSpec, Topology } from './config.js'

function invalid (message: string): P2pchatError {
  return new P2pchatError('INVALID_FLAG', message)
}

/** A whole number in [min, max]. */
export function parseInteger (value: string, min: number, max: number, what = 'value'): number {
  const n = Number(value)
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw invalid(`${what} must be a whole number from ${min} to ${max.toLocaleString('en')}, got "${value}"`)
  }
  return n
}

/** A positive number (rates). */
export function parsePositive (value: string, max: number, what = 'value'): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) throw invalid(`${what} must be a number above 0 and at most ${max}, got "${value}"`)
  return n
}

/** A probability in [0, 1]; `20%` is accepted too. */
export function parseProbability (value: string, what = 'probability'): number {
  const text = value.trim()
  const percent = text.endsWith('%')
  const n = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1)
  if (text === '' || text === '%' || !Number.isFinite(n) || n < 0 || n > 1) throw invalid(`${what} must be between 0 and 1 (or 0% to 100%), got "${value}"`)
  return n
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 }

/** A duration with a unit: `250ms`, `10s`, `1.5m`. */
export function parseDuration (value: string, what = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(value)
  if (match === null) throw invalid(`${what} must be a duration with a unit (250ms, 10s, 2m), got "${value}"`)
  return Math.round(Number(match[1]) * UNIT_MS[match[2]])
}

/** Splits `k=v,k=v` into a map, refusing unknown or repeated keys. */
function keyValues (value: string, allowed: string[], what: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of value.split(',').map(p => p.trim()).filter(p => p.length > 0)) {
    const eq = part.indexOf('=')
    const key = eq < 0 ? part : part.slice(0, eq).trim()
    if (eq < 0 || !allowed.includes(key)) throw invalid(`${what}: "${part}" is not one of ${allowed.map(k => `${k}=`).join(', ')}`)
    if (out.has(key)) throw invalid(`${what}: ${key}= given twice`)
    out.set(key, part.slice(eq + 1).trim())
  }
  return out
}

/** `at=10s,for=30s,split=50%`: when (after sending starts), how long, and the share of nodes on one side. */
export function parsePartitionSpec (value: string): PartitionSpec {
  const what = `--partition "${value}"`
  const kv = keyValues(value, ['at', 'for', 'split'], what)
  if (!kv.has('at') || !kv.has('for')) throw invalid(`${what} needs at= and for=, e.g. at=10s,for=30s,split=50%`)
  const atMs = parseDuration(kv.get('at') as string, `${what} at=`)
  const forMs = parseDuration(kv.get('for') as string, `${what} for=`)
  if (forMs <= 0) throw invalid(`${what}: for= must be above 0`)
  const split = kv.has('split') ? parseProbability(kv.get('split') as string, `${what} split=`) : 0.5
  if (split <= 0 || split >= 1) throw invalid(`${what}: split= must be strictly between 0% and 100%`)
  return { atMs, forMs, split }
}

/** `rate=0.5/s,downtime=5s`: crashes per second (or `/m`) network-wide, and how long each node stays down. */
export function parseChurnSpec (value: string): ChurnSpec {
  const what = `--churn "${value}"`
  const kv = keyValues(value, ['rate', 'downtime'], what)
  if (!kv.has('rate') || !kv.has('downtime')) throw invalid(`${what} needs rate= and downtime=, e.g. rate=0.5/s,downtime=5s`)
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|m))?$/.exec(kv.get('rate') as string)
  const perUnit = match === null ? NaN : Number(match[1]) / (match[2] === 'm' ? 60 : 1)
  if (match === null || !(perUnit > 0) || perUnit > 100) throw invalid(`${what}: rate= must be crashes per second or minute above 0 (0.5/s, 6/m), at most 100/s`)
  const downtimeMs = parseDuration(kv.get('downtime') as string, `${what} downtime=`)
  if (downtimeMs <= 0) throw invalid(`${what}: downtime= must be above 0`)
  return { ratePerSec: perUnit, downtimeMs }
}

/** `rendezvous` (the chat's DHT rendezvous) or `random:K` (each node dials K random earlier nodes, rendezvous off). */
export function parseTopology (value: string): Topology {
  if (value === 'rendezvous') return { kind: 'rendezvous' }
  const match = /^random:(\d+)$/.exec(value.trim())
  const degree = match === null ? NaN : Number(match[1])
  if (match === null || degree < 1 || degree > 50) throw invalid(`--topology must be "rendezvous" or "random:K" with K from 1 to 50, got "${value}"`)
  return { kind: 'random', degree }
}
