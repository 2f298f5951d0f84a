/**
 * The view: members sorted by SHA-256 of their id strings, self included, the same order for
 * every member, re-centred on another member without re-sorting.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { RainTreeView, ringKey } from '../../../src/raintree/index.js'

const hex = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex')

describe('RainTreeView', () => {
  it('sorts by SHA-256 of the id, includes self once, and ignores duplicates', () => {
    const ids = ['12D3KooWA', 'alice', 'bob', 'carol', 'dave', 'émile']
    const view = RainTreeView.of('alice', ['bob', 'carol', 'bob', 'dave', 'émile', '12D3KooWA'])
    expect(view.size).toBe(6)
    expect(view.ids).toEqual([...ids].sort((a, b) => hex(a) < hex(b) ? -1 : 1))
    expect(ringKey('émile')).toBe(hex('émile'))
    expect(view.selfId).toBe('alice')
    expect(view.peerAt(view.selfIndex)).toBe('alice')
  })

  it('gives every member the same order, and re-centres on another member', () => {
    const members = Array.from({ length: 50 }, (_, i) => `peer-${i}`)
    const a = RainTreeView.of('peer-3', members)
    const b = RainTreeView.of('peer-40', [...members].reverse())
    expect(b.ids).toEqual(a.ids)
    const c = a.withSelf('peer-40')
    expect(c.selfIndex).toBe(b.selfIndex)
    expect(c.ids).toBe(a.ids) // shared, not copied
    expect(() => a.withSelf('stranger')).toThrow(/not a member/)
  })

  it('rolls indices over both ends of the list', () => {
    const view = RainTreeView.of('a', ['b', 'c', 'd'])
    expect(view.peerAt(4)).toBe(view.ids[0])
    expect(view.peerAt(-1)).toBe(view.ids[3])
    expect(view.indexOf(view.ids[2])).toBe(2)
    expect(view.indexOf('zz')).toBeUndefined()
  })

  it('refuses empty ids', () => {
    try {
      RainTreeView.of('a', ['b', ''])
      throw new Error('no error')
    } catch (err) {
      expect(isP2pchatError(err, 'INVALID_ARGUMENT')).toBe(true)
    }
  })
})
