/**
 * Finality checkpoints: the digest is over canonical order whatever order messages arrived in,
 * a history that differs anywhere below the point disagrees, later messages do not matter, and a
 * message at or below the point is late.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkAgainst, finalityDigest, isLate } from '../../../src/room/finality.js'

const id = (n: number): string => n.toString(16).padStart(32, '0')

describe('finality checkpoints', () => {
  const history = [{ lamport: 10, id: id(2) }, { lamport: 10, id: id(1) }, { lamport: 12, id: id(3) }, { lamport: 20, id: id(4) }]

  it('hashes the ids up to the point in canonical (Lamport, id) order, whatever the arrival order', () => {
    const expected = createHash('sha256').update(Buffer.from(id(1) + id(2) + id(3), 'hex')).digest('hex')
    expect(finalityDigest(history, 12)).toBe(expected)
    expect(finalityDigest([...history].reverse(), 12)).toBe(expected)
    expect(finalityDigest([], 5)).toBe(createHash('sha256').digest('hex'))
  })

  it('a history that lacks or adds a message below the point disagrees; one above it does not matter', () => {
    const checkpoint = { lamport: 12, digest: finalityDigest(history, 12) }
    expect(checkAgainst(history, checkpoint)).toBe('agree')
    expect(checkAgainst(history.slice(1), checkpoint)).toBe('disagree')
    expect(checkAgainst([...history, { lamport: 11, id: id(9) }], checkpoint)).toBe('disagree')
    expect(checkAgainst([...history, { lamport: 13, id: id(9) }], checkpoint)).toBe('agree')
  })

  it('a message at or below the final point is late; with no checkpoint nothing is', () => {
    expect(isLate(12, { lamport: 12 })).toBe(true)
    expect(isLate(13, { lamport: 12 })).toBe(false)
    expect(isLate(1, undefined)).toBe(false)
  })
})
