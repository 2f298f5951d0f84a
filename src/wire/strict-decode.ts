/**
 * Strict protobuf decoding. protobufjs reads a 10-byte varint whose last byte carries bits
 * above 2⁶⁴ by dropping them (lamport 2⁶⁴ + T reads as T), where Go's protowire and other
 * strict readers refuse it; two implementations would then disagree about the same bytes.
 * This walks the encoded message (and its sub-messages, by the schema) with protobufjs's own
 * Reader and refuses any varint longer than 10 bytes or above 2⁶⁴ − 1 before decoding.
 */
import protobuf from 'protobufjs'
import { P2pchatError } from '../errors.js'

const VARINT = 0
const LENGTH_DELIMITED = 2

/** The field number of the first varint in `bytes` (of `type`) that does not fit 64 bits, or undefined. */
export function findOverlongVarint (type: protobuf.Type, bytes: Uint8Array): number | undefined {
  const reader = protobuf.Reader.create(bytes)
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    const field = tag >>> 3
    const wireType = tag & 7
    if (wireType === VARINT) {
      const start = reader.pos
      reader.skipType(VARINT)
      const length = reader.pos - start
      if (length > 10 || (length === 10 && bytes[reader.pos - 1] > 1)) return field
    } else if (wireType === LENGTH_DELIMITED) {
      const length = reader.uint32()
      const start = reader.pos
      reader.skip(length)
      const sub = type.fieldsById[field]?.resolvedType
      if (sub instanceof protobuf.Type) {
        const inner = findOverlongVarint(sub, bytes.subarray(start, start + length))
        if (inner !== undefined) return field
      }
    } else {
      reader.skipType(wireType)
    }
  }
  return undefined
}

/**
 * `type.decode(bytes)`, after refusing varints above 64 bits. Every failure, protobufjs's own
 * included (its text kept), is a `P2pchatError('DECODE_FAILED')`.
 */
export function decodeStrict (type: protobuf.Type, bytes: Uint8Array): protobuf.Message {
  let field: number | undefined
  try {
    field = findOverlongVarint(type, bytes)
    if (field === undefined) return type.decode(bytes)
  } catch (err) {
    throw new P2pchatError('DECODE_FAILED', (err as Error).message, { cause: err })
  }
  throw new P2pchatError('DECODE_FAILED', `varint longer than 64 bits in field ${field}`)
}
