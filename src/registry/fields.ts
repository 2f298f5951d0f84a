/**
 * Field checks shared by the top level and the rooms: strings, URLs, the
 * `created` timestamp and peer ids. Each returns the typed value or records an
 * error on `issues` and returns undefined.
 */

import { peerIdFromString } from '@libp2p/peer-id'
import { isScalar } from 'yaml'
import { isNullish, describeNode, stringValue } from './yaml-nodes.js'
import type { Issues } from './issues.js'

// C0/C1 control characters and DEL; they garble terminals and topics.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/u

/** Where a field is and how to name it in messages (`room "dev": rendezvous`). */
export interface FieldAt {
  issues: Issues
  value: unknown
  offset: number
  /** `rendezvous`, `room "dev": rendezvous`, ... */
  label: string
}

/** A required non-empty string without control characters, at most `max` characters. */
export function nonEmptyString (f: FieldAt, max: number, noWhitespace = false): string | undefined {
  const text = stringValue(f.value)
  if (text === undefined && !isNullish(f.value)) {
    f.issues.error(f.offset, `${f.label} must be a non-empty string, got ${describeNode(f.value)}`)
    return undefined
  }
  if (text === undefined || text.trim() === '') {
    f.issues.error(f.offset, `${f.label} must be a non-empty string`)
    return undefined
  }
  if ((noWhitespace ? WHITESPACE_OR_CONTROL : CONTROL).test(text)) {
    f.issues.error(f.offset, `${f.label} must not contain ${noWhitespace ? 'whitespace or ' : ''}control characters`)
    return undefined
  }
  if ([...text].length > max) {
    f.issues.error(f.offset, `${f.label} must be at most ${max} characters`)
    return undefined
  }
  return text
}

/** An optional string (absent or null gives `fallback`) without control characters. */
export function optionalString (f: FieldAt, max: number, fallback: string | undefined): string | undefined {
  if (isNullish(f.value)) return fallback
  const text = stringValue(f.value)
  if (text === undefined) {
    f.issues.error(f.offset, `${f.label} must be a string, got ${describeNode(f.value)}`)
    return fallback
  }
  if (CONTROL.test(text)) {
    f.issues.error(f.offset, `${f.label} must not contain control characters`)
    return fallback
  }
  if ([...text].length > max) {
    f.issues.error(f.offset, `${f.label} must be at most ${max} characters`)
    return fallback
  }
  return text
}

/** An optional absolute URL (any scheme `URL` accepts); absent or null gives undefined. */
export function optionalUrl (f: FieldAt): string | undefined {
  const text = optionalString(f, 2048, undefined)
  if (text === undefined) return undefined
  if (!URL.canParse(text)) {
    f.issues.error(f.offset, `${f.label} ${JSON.stringify(text)} is not a valid URL`)
    return undefined
  }
  return text
}

/** `created`: a non-negative integer of unix seconds. */
export function unixSeconds (f: FieldAt, plausibleMax: number): number | undefined {
  const v: unknown = isScalar(f.value) ? f.value.value : undefined
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    const got = typeof v === 'number' ? 'a fractional or too large number' : describeNode(f.value)
    f.issues.error(f.offset, `${f.label} must be an integer (unix seconds), got ${got}`)
    return undefined
  }
  if (v < 0) {
    f.issues.error(f.offset, `${f.label} must not be negative`)
    return undefined
  }
  if (v > plausibleMax) f.issues.warn(f.offset, `${f.label} ${v} looks like milliseconds; it should be unix seconds`)
  return v
}

/** A libp2p peer id string, returned in canonical form. */
export function peerIdText (f: FieldAt): string | undefined {
  const text = stringValue(f.value)
  if (text === undefined) {
    f.issues.error(f.offset, `${f.label} must be a peer id string, got ${describeNode(f.value)}`)
    return undefined
  }
  try {
    return peerIdFromString(text).toString()
  } catch {
    f.issues.error(f.offset, `${f.label} ${JSON.stringify(text)} is not a valid libp2p peer id`)
    return undefined
  }
}
