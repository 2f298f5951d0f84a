/**
 * `loadRegistry`: the one call the CLI needs. It classifies the source (file,
 * http(s) URL, or IPFS CID), fetches it bounded in time and size, verifies
 * CID content, and parses and validates it.
 */

import { fetchCid, cidSourceName } from './fetch-cid.js'
import { fetchFile } from './fetch-file.js'
import { fetchUrl } from './fetch-url.js'
import { resolveLoadOptions } from './options.js'
import { parseRegistry } from './parse.js'
import { classifySource } from './source-kind.js'
import { assertVerifiable } from './verify-cid.js'
import type { RegistryLoadOptions } from './options.js'
import type { LoadedRegistry, RegistrySourceInfo } from './types.js'

/**
 * Loads a registry from a file path, an `http(s)://` URL, or an IPFS CID
 * (`Qm...`, `bafy...`, `ipfs://<cid>`, `/ipfs/<cid>`). Throws a P2pchatError
 * whose cause is a RegistryProblem (see `registryProblemOf`).
 */
export async function loadRegistry (source: string, options: Partial<RegistryLoadOptions> = {}): Promise<LoadedRegistry> {
  const opts = resolveLoadOptions(options)
  const kind = classifySource(source)
  let bytes: Uint8Array
  let info: RegistrySourceInfo
  let name: string
  if (kind.kind === 'file') {
    name = kind.path
    bytes = await fetchFile(kind.path, opts.maxBytes)
    info = { kind: 'file', path: kind.path }
  } else if (kind.kind === 'url') {
    name = kind.url
    bytes = await fetchUrl(kind.url, opts)
    info = { kind: 'url', url: kind.url }
  } else {
    name = cidSourceName(kind.cid)
    assertVerifiable(kind.cid, name)
    const fetched = await fetchCid(kind.cid, opts)
    bytes = fetched.bytes
    info = { kind: 'cid', cid: kind.cid.toString(), via: fetched.via, url: fetched.url }
  }
  const parsed = parseRegistry(bytes, { source: name, maxBytes: opts.maxBytes })
  return { ...parsed, source: info, bytes: bytes.byteLength }
}
