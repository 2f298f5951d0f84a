/**
 * Length prefixes of our stream protocols (`/p2pchat/repair/1.0.0` and later ones): an
 * unsigned varint, read with a hard limit on its own length. `lpStream` from
 * `@libp2p/utils` 7.4.1 skips its prefix-length check while the varint decoder throws
 * `RangeError` (an unterminated `ff…`, or a valid but overlong `80…01`), then reads the
 * rest of the stream one byte at a time (docs/upstream/lpstream-length-prefix.md). This
 * decoder, given to `lpStream` as `lengthDecoder`, refuses such a prefix at once.
 */
import * as varint from 'uint8-varint'
import { P2pchatError } from '../errors.js'

/** The prefix bytes read so far, as `lpStream` passes them (a `Uint8ArrayList`). */
export interface PrefixBytes { byteLength: number, subarray: () => Uint8Array }

/** What `lpStream` calls with the prefix bytes read so far. */
export type LengthDecoder = (buf: PrefixBytes) => number

/**
 * A length decoder for frames of at most `maxDataLength` bytes: its prefix has at most
 * `varint.encodingLength(maxDataLength)` bytes. A longer one throws
 * `P2pchatError('DECODE_FAILED')` (not a `RangeError`, so `lpStream` ends the read); an
 * incomplete one throws `RangeError` (read one more byte).
 */
export function limitedLengthDecoder (maxDataLength: number): LengthDecoder {
  const maxPrefix = varint.encodingLength(maxDataLength)
  return (buf) => {
    if (buf.byteLength > maxPrefix) {
      throw new P2pchatError('DECODE_FAILED', `malformed length prefix: more than ${maxPrefix} bytes for frames of at most ${maxDataLength} bytes`)
    }
    return varint.decode(buf.subarray())
  }
}
