/**
 * The rooms table for `p2pchat rooms` and `/rooms`: pure text lines, one per
 * room, columns aligned. Registry strings were validated free of control
 * characters, so they are safe to print as they are.
 */

import type { RegistryRoom } from './types.js'

/** Options of `roomsTable`. */
export interface RoomsTableOptions {
  /** Names of rooms we are in; marked with `*`. @default [] */
  joined: readonly string[]
  /** Descriptions longer than this are cut with `…`. @default 50 */
  maxDescChars: number
}

/** Defaults of RoomsTableOptions. */
export const DEFAULT_ROOMS_TABLE_OPTIONS: RoomsTableOptions = { joined: [], maxDescChars: 50 }

function width (text: string): number {
  return [...text].length
}

function cut (text: string, max: number): string {
  const chars = [...text]
  return chars.length > max ? chars.slice(0, Math.max(0, max - 1)).join('') + '…' : text
}

/**
 * Lines of the rooms table: a header `   NAME  DESCRIPTION  TRUSTED  RENDEZVOUS`,
 * then a row per room (`*` in front of joined rooms), without trailing spaces;
 * `the registry lists no rooms` when empty.
 */
export function roomsTable (rooms: readonly RegistryRoom[], options: Partial<RoomsTableOptions> = {}): string[] {
  const opts: RoomsTableOptions = { ...DEFAULT_ROOMS_TABLE_OPTIONS, ...options }
  if (rooms.length === 0) return ['the registry lists no rooms']
  const rows = [
    ['', 'NAME', 'DESCRIPTION', 'TRUSTED', 'RENDEZVOUS'],
    ...rooms.map(r => [
      opts.joined.includes(r.name) ? '*' : ' ',
      r.name,
      r.desc === '' ? '—' : cut(r.desc, opts.maxDescChars),
      String(r.trustedPeers.length),
      r.rendezvous
    ])
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map(row => width(row[i]))))
  return rows.map(row => row.map((cell, i) => {
    const pad = ' '.repeat(widths[i] - width(cell))
    return i === 3 ? pad + cell : cell + pad
  }).join('  ').trimEnd())
}
