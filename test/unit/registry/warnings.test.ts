/**
 * Odd but harmless content produces warnings with positions, never errors:
 * unknown keys, repeated peer ids, shared rendezvous, an empty room list,
 * a `created` in milliseconds.
 */

import { describe, expect, it } from 'vitest'
import { parseRegistry } from '../../../src/registry/index.js'

const PEER = '12D3KooWG4CinpUjT7Cd1bkGwbacfBqd72KUvDoy1CwGpLHkWqxr'

function yaml (...lines: string[]): string {
  return lines.join('\n') + '\n'
}

function warningsOf (text: string): string[] {
  return parseRegistry(text, { source: 'r.yaml' }).warnings.map(w => w.text)
}

describe('registry warnings', () => {
  it('reports an unknown key with its line and column, and still returns the registry', () => {
    const result = parseRegistry(yaml('created: 1', 'owner: alice', 'rooms:', '  - name: dev', '    rendezvous: p2pchat/dev', '    topic: dev'), { source: 'r.yaml' })
    expect(result.registry.rooms.map(r => r.name)).toEqual(['dev'])
    expect(result.warnings).toEqual([
      { line: 2, column: 1, message: 'unknown key "owner" (ignored)', text: 'r.yaml:2:1: unknown key "owner" (ignored)' },
      { line: 6, column: 5, message: 'room "dev": unknown key "topic" (ignored)', text: 'r.yaml:6:5: room "dev": unknown key "topic" (ignored)' }
    ])
  })

  it('warns about a peer id listed twice and keeps it once', () => {
    const result = parseRegistry(yaml('created: 1', 'rooms:', '  - name: dev', '    rendezvous: p2pchat/dev', `    trustedPeers: [${PEER}, ${PEER}]`), { source: 'r.yaml' })
    expect(result.registry.rooms[0].trustedPeers).toEqual([PEER])
    // column 20 + 52 (first id) + 2 (", ") = 74
    expect(result.warnings.map(w => w.text)).toEqual([`r.yaml:5:74: room "dev": trustedPeers lists ${PEER} more than once`])
  })

  it('warns when two rooms share a rendezvous', () => {
    expect(warningsOf(yaml('created: 1', 'rooms:', '  - name: a', '    rendezvous: same', '  - name: b', '    rendezvous: same')))
      .toEqual(['r.yaml:6:17: room "b": same rendezvous as room "a"; they are one room on the network'])
  })

  it('warns about an empty room list', () => {
    expect(warningsOf(yaml('created: 1', 'rooms: []'))).toEqual(['r.yaml:2:8: rooms is empty: the registry lists no rooms'])
  })

  it('warns when created looks like milliseconds', () => {
    expect(warningsOf(yaml('created: 1795263189000', 'rooms: []'))).toContain('r.yaml:1:10: created 1795263189000 looks like milliseconds; it should be unix seconds')
  })
})
