/**
 * A decoded protobuf uint64 (protobufjs gives a number or a `Long`; an absent field is the
 * default 0) as a safe JavaScript integer, or undefined when it does not fit in 2^53.
 */
import type Long from 'long'

/** A uint64 field as protobufjs decodes it. */
export type Uint64Field = number | Long | undefined | null

/** The field's value as a non-negative safe integer, or undefined when it is larger. */
export function safeUint64 (value: Uint64Field): number | undefined {
  const n = value === undefined || value === null ? 0 : typeof value === 'number' ? value : (value.high >>> 0) > 0x1fffff ? -1 : value.toNumber()
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}
