/**
 * Machine-readable detail of a registry failure. Every registry error is a
 * `P2pchatError` (the one error class) whose `cause` is a `RegistryProblem`;
 * `registryProblemOf(err)` gets it back.
 */

import { P2pchatError } from '../errors.js'
import type { P2pchatErrorCode } from '../errors.js'

/** What went wrong, as a switchable tag. */
export type RegistryProblemKind =
  /** The `--registry` value is not a path, http(s) URL or CID. */
  | 'bad-source'
  /** The file does not exist, or the server / daemon says 404. */
  | 'not-found'
  /** The file could not be read (permissions, a directory, ...). */
  | 'io'
  /** No IPFS daemon listens at the API address. */
  | 'daemon-down'
  /** The host could not be reached (refused, DNS, reset). */
  | 'unreachable'
  /** An HTTP status other than 2xx and 404. */
  | 'http-error'
  /** No complete answer within `timeoutMs`. */
  | 'timeout'
  /** More than `maxBytes`. */
  | 'too-large'
  /** Not UTF-8 text, not YAML, or not a YAML mapping. */
  | 'not-yaml'
  /** YAML, but not a valid registry. */
  | 'schema'
  /** The bytes served for a CID do not hash to that CID. */
  | 'cid-mismatch'
  /** A CID we cannot verify (hash function or codec we do not recompute). */
  | 'unsupported-cid'
  /** Every source of a CID failed; see `attempts`. */
  | 'all-sources-failed'

/** The detail behind a registry error. */
export interface RegistryProblem {
  kind: RegistryProblemKind
  /** The source as the user named it (path, URL, CID). */
  source: string
  /** The one-line message, same as the error's. */
  message: string
  /** 1-based position in the registry text, for `not-yaml` and `schema`. */
  line?: number
  column?: number
  /** HTTP status, for `not-found` and `http-error` from a server. */
  status?: number
  /** For `cid-mismatch`: the CID asked for and what the bytes hash to. */
  expectedCid?: string
  computedCid?: string
  /** For `all-sources-failed`: each source's problem, in the order tried. */
  attempts?: RegistryProblem[]
  /** Further validation problems after the first (one-line texts). */
  more?: string[]
  /** The underlying error, if any. */
  cause?: unknown
}

const CODE_OF_KIND: Record<RegistryProblemKind, P2pchatErrorCode> = {
  'bad-source': 'INVALID_FLAG',
  'unsupported-cid': 'INVALID_FLAG',
  'not-found': 'IO_FAILED',
  io: 'IO_FAILED',
  'daemon-down': 'IO_FAILED',
  unreachable: 'IO_FAILED',
  'http-error': 'IO_FAILED',
  timeout: 'IO_FAILED',
  'all-sources-failed': 'IO_FAILED',
  'too-large': 'DECODE_FAILED',
  'not-yaml': 'DECODE_FAILED',
  schema: 'DECODE_FAILED',
  'cid-mismatch': 'DECODE_FAILED'
}

/** The P2pchatError code a problem kind is raised with. */
export function codeOfProblem (kind: RegistryProblemKind): P2pchatErrorCode {
  return CODE_OF_KIND[kind]
}

/** A P2pchatError carrying `problem` as its cause; the message is `problem.message`. */
export function registryError (problem: RegistryProblem): P2pchatError {
  return new P2pchatError(codeOfProblem(problem.kind), problem.message, { cause: problem })
}

/** Builds a problem and throws it as a P2pchatError. */
export function failRegistry (kind: RegistryProblemKind, source: string, message: string, extra: Partial<RegistryProblem> = {}): never {
  throw registryError({ ...extra, kind, source, message })
}

function isProblem (value: unknown): value is RegistryProblem {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.kind === 'string' && v.kind in CODE_OF_KIND && typeof v.message === 'string' && typeof v.source === 'string'
}

/** The RegistryProblem behind a registry error, or undefined for any other error. */
export function registryProblemOf (err: unknown): RegistryProblem | undefined {
  if (!(err instanceof P2pchatError)) return undefined
  return isProblem(err.cause) ? err.cause : undefined
}
