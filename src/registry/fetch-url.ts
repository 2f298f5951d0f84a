/**
 * Fetches a registry from an http(s) URL (GET), bounded in time and size.
 * The bytes are not verified: use a CID when the server is not trusted.
 */

import { httpFetch } from './http-fetch.js'

/** Options of `fetchUrl`. */
export interface FetchUrlOptions {
  timeoutMs: number
  maxBytes: number
  signal?: AbortSignal
}

/** The body of `GET url`; throws a registry error on any failure. */
export async function fetchUrl (url: string, options: FetchUrlOptions): Promise<Uint8Array> {
  const origin = new URL(url).origin
  const { timeoutMs, maxBytes, signal } = options
  return httpFetch({ url, method: 'GET', source: url, server: origin, timeoutMs, maxBytes, signal })
}
