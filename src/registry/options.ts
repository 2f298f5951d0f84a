/**
 * Options of `loadRegistry`, their defaults, and the merge that ignores
 * explicitly undefined values (so `{ ipfsApi: undefined }` keeps the default).
 */

import { DEFAULT_IPFS_API, DEFAULT_TIMEOUT_MS, MAX_REGISTRY_BYTES } from './constants.js'
import { failRegistry } from './problem.js'

/** How `loadRegistry` fetches a registry. */
export interface RegistryLoadOptions {
  /**
   * The IPFS (kubo) HTTP API asked for CIDs with `POST /api/v0/cat`; `false`
   * skips it (use only the gateway). @default 'http://127.0.0.1:5001'
   */
  ipfsApi: string | false
  /**
   * An HTTP gateway asked for CIDs as `<gateway>/ipfs/<cid>`, after the API
   * (or alone when `ipfsApi` is false). Bytes are verified either way.
   * @default undefined (no gateway)
   */
  ipfsGateway: string | undefined
  /** Time limit of each fetch attempt, connect to last byte (ms). @default 10000 */
  timeoutMs: number
  /** Larger registries are refused, never truncated. @default 1 MiB */
  maxBytes: number
  /** Aborts loading (e.g. on Ctrl-C). @default undefined */
  signal: AbortSignal | undefined
}

/** Defaults of RegistryLoadOptions. */
export const DEFAULT_LOAD_OPTIONS: RegistryLoadOptions = {
  ipfsApi: DEFAULT_IPFS_API,
  ipfsGateway: undefined,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  maxBytes: MAX_REGISTRY_BYTES,
  signal: undefined
}

// Kubo writes its API address as a multiaddr (`~/.ipfs/api`: /ip4/127.0.0.1/tcp/5001).
const API_MULTIADDR = /^\/(ip4|ip6|dns|dns4|dns6)\/([^/]+)\/tcp\/(\d{1,5})\/?(?:http\/?)?$/

/** `http://host:port` for a kubo-style `/ip4/<a>/tcp/<port>` address; other strings unchanged. */
export function apiAddressToUrl (value: string): string {
  const m = API_MULTIADDR.exec(value)
  if (m === null) return value
  const host = m[1] === 'ip6' ? `[${m[2]}]` : m[2]
  return `http://${host}:${m[3]}`
}

function checkHttpBase (name: string, given: string): string {
  const value = apiAddressToUrl(given)
  let url: URL | undefined
  try { url = new URL(value) } catch {}
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    failRegistry('bad-source', given, `${name} must be an http(s) URL or /ip4/<address>/tcp/<port>, got ${JSON.stringify(given)}`)
  }
  return value.replace(/\/+$/, '')
}

/** Defaults overlaid with the given options (undefined values ignored), validated. */
export function resolveLoadOptions (options: Partial<RegistryLoadOptions> = {}): RegistryLoadOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<RegistryLoadOptions>
  const opts: RegistryLoadOptions = { ...DEFAULT_LOAD_OPTIONS, ...given }
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) failRegistry('bad-source', String(opts.timeoutMs), `registry timeout must be a positive number of ms, got ${opts.timeoutMs}`)
  if (!Number.isSafeInteger(opts.maxBytes) || opts.maxBytes <= 0) failRegistry('bad-source', String(opts.maxBytes), `registry size limit must be a positive integer, got ${opts.maxBytes}`)
  if (opts.ipfsApi !== false) opts.ipfsApi = checkHttpBase('the IPFS API address', opts.ipfsApi)
  if (opts.ipfsGateway !== undefined) opts.ipfsGateway = checkHttpBase('the IPFS gateway address', opts.ipfsGateway)
  return opts
}
