/**
 * Fetches a registry by CID: from the local IPFS daemon's HTTP API
 * (`POST /api/v0/cat?arg=<cid>`; kubo refuses GET on the API), then, if that
 * fails and a gateway is set, from `<gateway>/ipfs/<cid>`. Whatever answers,
 * the bytes are verified against the CID before they are returned.
 */

import type { CID } from 'multiformats/cid'
import { httpFetch } from './http-fetch.js'
import { failRegistry, registryError, registryProblemOf } from './problem.js'
import { verifyCid } from './verify-cid.js'
import type { RegistryProblem } from './problem.js'

/** Options of `fetchCid`. */
export interface FetchCidOptions {
  ipfsApi: string | false
  ipfsGateway: string | undefined
  timeoutMs: number
  maxBytes: number
  signal?: AbortSignal
}

/** Verified bytes and who served them. */
export interface FetchedCid {
  bytes: Uint8Array
  via: 'api' | 'gateway'
  url: string
}

interface Attempt {
  via: 'api' | 'gateway'
  url: string
  method: 'GET' | 'POST'
  server: string
  refusedMessage?: string
}

/** The source name of a CID in messages: `/ipfs/<cid>`. */
export function cidSourceName (cid: CID): string {
  return `/ipfs/${cid.toString()}`
}

function attempts (cid: CID, opts: FetchCidOptions): Attempt[] {
  const list: Attempt[] = []
  const arg = encodeURIComponent(cid.toString())
  if (opts.ipfsApi !== false) {
    list.push({
      via: 'api',
      url: `${opts.ipfsApi}/api/v0/cat?arg=${arg}`,
      method: 'POST',
      server: `the IPFS API at ${opts.ipfsApi}`,
      refusedMessage: `no IPFS daemon answers at ${opts.ipfsApi} (start one with \`ipfs daemon\`, or use --ipfs-gateway)`
    })
  }
  if (opts.ipfsGateway !== undefined) {
    list.push({ via: 'gateway', url: `${opts.ipfsGateway}/ipfs/${arg}`, method: 'GET', server: `the IPFS gateway at ${opts.ipfsGateway}` })
  }
  return list
}

function combine (source: string, problems: RegistryProblem[]): never {
  const parts = problems.map(p => p.message.startsWith(`${source}: `) ? p.message.slice(source.length + 2) : p.message)
  failRegistry('all-sources-failed', source, `${source}: no verified copy: ${parts.join('; then ')}`, { attempts: problems })
}

/** Fetches and verifies the bytes of `cid`; throws a registry error when no source gives a verified copy. */
export async function fetchCid (cid: CID, opts: FetchCidOptions): Promise<FetchedCid> {
  const source = cidSourceName(cid)
  const list = attempts(cid, opts)
  if (list.length === 0) failRegistry('bad-source', source, `${source}: no IPFS API or gateway to fetch it from`)
  const problems: RegistryProblem[] = []
  for (const a of list) {
    try {
      const bytes = await httpFetch({ ...a, source, timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes, signal: opts.signal })
      await verifyCid(cid, bytes, source, a.server)
      return { bytes, via: a.via, url: a.url }
    } catch (err) {
      const problem = registryProblemOf(err)
      if (problem === undefined || opts.signal?.aborted === true) throw err
      problems.push(problem)
    }
  }
  if (problems.length === 1) throw registryError(problems[0])
  return combine(source, problems)
}
