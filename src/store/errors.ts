/**
 * The store's user-facing errors, each one line with the way out: a damaged store
 * (STORE_CORRUPT, fixed by `--repair`), a store written by a newer p2pchat
 * (STORE_VERSION), a profile held by another process (PROFILE_IN_USE), and I/O failures.
 */
import { P2pchatError } from '../errors.js'

/** Names the store in messages. */
export interface StoreLocation {
  /** The profile name. */
  profile: string
  /** The LevelDB directory (undefined for the memory store). */
  storePath?: string
}

/**
 * An I/O error LevelDB reports for a damaged file rather than a failing disk: garbage in
 * a table makes it read at offsets past the end of the file (EINVAL).
 */
const DAMAGED_FILE = /(\.(ldb|sst|log)|MANIFEST-\d+|CURRENT): Invalid argument/

/** True when `err` (or its cause chain) is a LevelDB corruption error. */
export function isCorruption (err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (code === 'LEVEL_CORRUPTION') return true
    const message = (e as Error).message
    if (typeof message !== 'string') continue
    if (/\bCorruption:/.test(message)) return true
    if (code === 'LEVEL_IO_ERROR' && DAMAGED_FILE.test(message)) return true
  }
  return false
}

/** True when `err` (or its cause) says the LevelDB LOCK is held. */
export function isLocked (err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'LEVEL_LOCKED') return true
  }
  return false
}

/** The innermost message of an error chain (LevelDB's own words are in the cause). */
export function rootMessage (err: unknown): string {
  let e = err
  for (let depth = 0; depth < 5 && (e as { cause?: unknown })?.cause !== undefined; depth++) e = (e as { cause?: unknown }).cause
  // One line: a damaged file can put newlines (or worse) into LevelDB's message.
  return (e instanceof Error ? e.message : String(e)).replace(/[\s\p{Cc}]+/gu, ' ').trim()
}

/** STORE_CORRUPT with the recovery path. */
export function storeCorrupt (location: StoreLocation, detail: string, cause?: unknown): P2pchatError {
  const where = location.storePath ?? '(memory)'
  return new P2pchatError('STORE_CORRUPT',
    `the message store of profile "${location.profile}" at ${where} is damaged (${detail}); ` +
    `run with --repair to move the damaged store aside to ${where}.corrupt-<time> and start fresh (your key is kept)`,
    { cause })
}

/** PROFILE_IN_USE. */
export function profileInUse (location: StoreLocation, holder: string | undefined, cause?: unknown): P2pchatError {
  return new P2pchatError('PROFILE_IN_USE',
    `profile "${location.profile}" is in use by another p2pchat process (${holder ?? `its store ${location.storePath ?? ''} is locked`}); ` +
    'use --profile <other> or --ephemeral',
    { cause })
}

/** Maps a backend error to STORE_CORRUPT (corruption) or IO_FAILED (anything else). */
export function storeError (location: StoreLocation, action: string, err: unknown): P2pchatError {
  if (err instanceof P2pchatError) return err
  if (isCorruption(err)) return storeCorrupt(location, rootMessage(err), err)
  return new P2pchatError('IO_FAILED', `${action} failed for the message store of profile "${location.profile}": ${rootMessage(err)}`, { cause: err })
}
