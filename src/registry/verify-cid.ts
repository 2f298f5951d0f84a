/**
 * Checks bytes against the CID they were fetched by, whatever served them: the
 * CID is recomputed the way `ipfs add` does (ipfs-unixfs-importer into an
 * in-memory blockstore) and compared. A mismatch is refused.
 */

import { MemoryBlockstore } from 'blockstore-core'
import { importBytes } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { failRegistry } from './problem.js'

/** The dag-pb codec (UnixFS files added by `ipfs add`). */
export const DAG_PB_CODE = 0x70
/** The raw codec (a single block of bytes). */
export const RAW_CODE = 0x55
/** The sha2-256 multihash, `ipfs add`'s default hash. */
export const SHA2_256_CODE = 0x12
/** The identity multihash (the bytes are inside the CID). */
export const IDENTITY_CODE = 0x00

/** How a file is chunked and laid out into a UnixFS DAG. */
export interface AddProfile {
  /** CID version of every block. */
  cidVersion: 0 | 1
  /** Leaves as raw blocks (true) or dag-pb UnixFS file nodes (false). */
  rawLeaves: boolean
  /** Fixed chunk size in bytes (`--chunker size-N`). */
  chunkSize: number
  /** Children per node of the balanced layout. */
  maxChildrenPerNode: number
}

/** `ipfs add` defaults: CIDv0, UnixFS-wrapped leaves, size-262144 chunks, balanced layout of 174. */
export const KUBO_V0_PROFILE: AddProfile = { cidVersion: 0, rawLeaves: false, chunkSize: 262_144, maxChildrenPerNode: 174 }

/** `ipfs add --cid-version 1` defaults: as v0, but CIDv1 and raw leaves. */
export const KUBO_V1_PROFILE: AddProfile = { cidVersion: 1, rawLeaves: true, chunkSize: 262_144, maxChildrenPerNode: 174 }

/** `ipfs add --cid-version 1 --raw-leaves=false`: tried when the default v1 profile does not match. */
export const KUBO_V1_WRAPPED_LEAVES_PROFILE: AddProfile = { ...KUBO_V1_PROFILE, rawLeaves: false }

/** Kubo's `unixfs-v1-2025` profile (IPIP-499): 1 MiB chunks, 1024 children. */
export const UNIXFS_V1_2025_PROFILE: AddProfile = { cidVersion: 1, rawLeaves: true, chunkSize: 1_048_576, maxChildrenPerNode: 1024 }

/**
 * The CID `ipfs add` would print for `bytes`: with its defaults for
 * `version` 0, with `--cid-version 1` defaults for 1, or with `profile`.
 */
export async function computeUnixfsCid (bytes: Uint8Array, version: 0 | 1, profile: Partial<AddProfile> = {}): Promise<CID> {
  const p: AddProfile = { ...(version === 0 ? KUBO_V0_PROFILE : KUBO_V1_PROFILE), ...profile, cidVersion: version }
  const result = await importBytes(bytes, new MemoryBlockstore(), {
    cidVersion: p.cidVersion,
    rawLeaves: p.rawLeaves,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: p.chunkSize }),
    layout: balanced({ maxChildrenPerNode: p.maxChildrenPerNode })
  })
  // The importer may carry its own multiformats copy; normalise through the string form.
  return CID.parse(result.cid.toString())
}

/** The CIDs `bytes` could have been added as, for a CID of this version and codec, in the order tried. */
async function * candidates (cid: CID, bytes: Uint8Array): AsyncGenerator<CID> {
  if (cid.code === RAW_CODE) {
    const digest = cid.multihash.code === IDENTITY_CODE ? identity.digest(bytes) : await sha256.digest(bytes)
    yield CID.createV1(RAW_CODE, digest)
    return
  }
  if (cid.version === 0) {
    yield await computeUnixfsCid(bytes, 0)
    return
  }
  for (const profile of [KUBO_V1_PROFILE, KUBO_V1_WRAPPED_LEAVES_PROFILE, UNIXFS_V1_2025_PROFILE]) {
    yield await computeUnixfsCid(bytes, 1, profile)
  }
}

/** Throws `unsupported-cid` unless we can recompute this kind of CID. */
export function assertVerifiable (cid: CID, source: string): void {
  const hash = cid.multihash.code
  if (cid.code === RAW_CODE && (hash === SHA2_256_CODE || hash === IDENTITY_CODE)) return
  if (cid.code === DAG_PB_CODE && hash === SHA2_256_CODE) return
  const what = cid.code !== RAW_CODE && cid.code !== DAG_PB_CODE
    ? `codec 0x${cid.code.toString(16)} (only dag-pb and raw files can be verified)`
    : `hash function 0x${hash.toString(16)} (only sha2-256 can be verified)`
  failRegistry('unsupported-cid', source, `${source}: cannot verify CID ${cid.toString()}: unsupported ${what}`)
}

/**
 * Resolves when `bytes` hash to `cid` under one of the `ipfs add` profiles;
 * otherwise throws `cid-mismatch` naming the expected CID and the one
 * computed with the default profile. `servedBy` names who sent the bytes.
 */
export async function verifyCid (cid: CID, bytes: Uint8Array, source: string, servedBy: string): Promise<void> {
  assertVerifiable(cid, source)
  let first: CID | undefined
  for await (const candidate of candidates(cid, bytes)) {
    if (candidate.equals(cid)) return
    first ??= candidate
  }
  const computed = first?.toString() ?? 'nothing'
  failRegistry('cid-mismatch', source,
    `${source}: content from ${servedBy} does not match its CID: expected ${cid.toString()}, computed ${computed}; refusing it`,
    { expectedCid: cid.toString(), computedCid: computed })
}
