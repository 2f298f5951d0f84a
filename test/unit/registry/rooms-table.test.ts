/**
 * The rooms table printed by `p2pchat rooms` and `/rooms`.
 */

import { describe, expect, it } from 'vitest'
import { roomsTable } from '../../../src/registry/index.js'
import type { RegistryRoom } from '../../../src/registry/index.js'

const ROOMS: RegistryRoom[] = [
  { name: 'lobby', desc: 'General chat; say hello here', rendezvous: 'p2pchat/lobby', trustedPeers: ['a', 'b'] },
  { name: 'printers', desc: '', rendezvous: 'p2pchat/printers', trustedPeers: [] },
  { name: 'dev', desc: 'x'.repeat(80), rendezvous: 'p2pchat/dev', trustedPeers: Array(12).fill('p') }
]

describe('roomsTable', () => {
  it('aligns columns, marks joined rooms, cuts long descriptions', () => {
    expect(roomsTable(ROOMS, { joined: ['dev'], maxDescChars: 30 })).toEqual([
      '   NAME      DESCRIPTION                     TRUSTED  RENDEZVOUS',
      '   lobby     General chat; say hello here          2  p2pchat/lobby',
      '   printers  —                                     0  p2pchat/printers',
      `*  dev       ${'x'.repeat(29)}…       12  p2pchat/dev`
    ])
  })

  it('says so when there are no rooms', () => {
    expect(roomsTable([])).toEqual(['the registry lists no rooms'])
  })
})
