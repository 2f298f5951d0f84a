/**
 * Small helpers over the `yaml` package's document nodes: offsets, a plain
 * description of a node's type for messages, and the entries of a mapping.
 */

import { isAlias, isMap, isScalar, isSeq } from 'yaml'
import type { Node, Pair, YAMLMap } from 'yaml'

/** Start offset of a node in the text, or `fallback` when it has none. */
export function offsetOf (node: unknown, fallback: number): number {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range
    if (Array.isArray(range)) return range[0]
  }
  return fallback
}

/** `a string`, `a number`, `a list`, ... for "must be X, got Y" messages. */
export function describeNode (node: unknown): string {
  if (node === null || node === undefined) return 'nothing'
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  if (isAlias(node)) return 'an alias'
  if (isScalar(node)) {
    const v = node.value
    if (v === null) return 'null'
    if (typeof v === 'string') return 'a string'
    if (typeof v === 'number' || typeof v === 'bigint') return 'a number'
    if (typeof v === 'boolean') return 'a boolean'
    if (v instanceof Uint8Array) return 'binary data'
    return 'a scalar'
  }
  return 'something else'
}

/** The value of a scalar node when it is a string, else undefined. */
export function stringValue (node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined
}

/** True for an absent value or an explicit YAML null (`key:` or `key: ~`). */
export function isNullish (node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null)
}

/** One `key: value` of a mapping with the key as text. */
export interface Entry {
  key: string
  keyOffset: number
  value: unknown
  valueOffset: number
}

/**
 * The entries of a mapping, keys as text. A key that is not a scalar (a YAML
 * complex key) comes back as `[complex key]`; no registry key looks like that.
 */
export function entriesOf (map: YAMLMap, fallback: number): Entry[] {
  return map.items.map((pair: Pair) => {
    const keyOffset = offsetOf(pair.key, fallback)
    const key = isScalar(pair.key) ? String(pair.key.value) : '[complex key]'
    return { key, keyOffset, value: pair.value, valueOffset: offsetOf(pair.value, keyOffset) }
  })
}
