import { describe, expect, it } from 'vitest'
import { limitedLengthDecoder } from '../../../src/wire/index.js'
import { isP2pchatError } from '../../../src/errors.js'

const prefix = (...xs: number[]): { byteLength: number, subarray: () => Uint8Array } => {
  const bytes = Uint8Array.from(xs)
  return { byteLength: bytes.byteLength, subarray: () => bytes }
}

describe('length prefixes with a hard limit', () => {
  const decode = limitedLengthDecoder(1024 * 1024) // a 3-byte prefix at most

  it('decodes complete prefixes up to the limit\'s own length', () => {
    expect(decode(prefix(0x00))).toBe(0)
    expect(decode(prefix(0xa8, 0x46))).toBe(9_000)
    expect(decode(prefix(0x80, 0x80, 0x40))).toBe(1024 * 1024)
    expect(decode(prefix(0xff, 0xff, 0x7f))).toBe(2 ** 21 - 1) // too long a frame: lpStream's maxDataLength refuses it
  })

  it('asks for one more byte (RangeError) while a prefix within the limit is incomplete', () => {
    expect(() => decode(prefix(0xff))).toThrow(RangeError)
    expect(() => decode(prefix(0xff, 0xff, 0xff))).toThrow(RangeError)
  })

  it('refuses a prefix longer than the limit allows, terminated or not, with its own error', () => {
    for (const p of [prefix(0xff, 0xff, 0xff, 0xff), prefix(0x80, 0x80, 0x80, 0x00), prefix(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)]) {
      let thrown: unknown
      try { decode(p) } catch (err) { thrown = err }
      expect(isP2pchatError(thrown, 'DECODE_FAILED')).toBe(true)
      expect((thrown as Error).message).toBe('malformed length prefix: more than 3 bytes for frames of at most 1048576 bytes')
    }
  })

  it('sizes the limit from the largest frame: 8 KiB frames take 2 bytes', () => {
    const small = limitedLengthDecoder(8 * 1024)
    expect(small(prefix(0x80, 0x40))).toBe(8192)
    expect(() => small(prefix(0x80, 0x80, 0x01))).toThrow(/more than 2 bytes/)
  })
})
