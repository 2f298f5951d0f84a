/**
 * One bounded HTTP request for registry bytes: a deadline covering connect,
 * headers and body; the size cap enforced from Content-Length and while
 * streaming; and every failure mapped to a one-line RegistryProblem.
 */

import { ERROR_BODY_SNIPPET_BYTES } from './constants.js'
import { networkErrorCode, networkReason } from './net-errors.js'
import { failRegistry, registryProblemOf } from './problem.js'
import { readCapped } from './read-capped.js'
import { failTooLarge } from './size.js'

/** One request. */
export interface HttpFetchRequest {
  url: string
  method: 'GET' | 'POST'
  /** Source name errors start with. */
  source: string
  /** Who answers, for messages: `the IPFS API at http://...`. */
  server: string
  timeoutMs: number
  maxBytes: number
  /** The message when the connection is refused, without the source prefix (e.g. "no IPFS daemon answers at ..."). */
  refusedMessage?: string
  signal?: AbortSignal
}

/** Up to `n` bytes of an error body; the rest is cancelled, a read failure gives what arrived. */
async function readPrefix (body: ReadableStream<Uint8Array> | null, n: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    while (total < n) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      total += value.byteLength
    }
    await reader.cancel().catch(() => {})
  } catch {}
  return Buffer.concat(chunks).subarray(0, n)
}

function snippet (bytes: Uint8Array): string {
  let text = new TextDecoder().decode(bytes.subarray(0, ERROR_BODY_SNIPPET_BYTES * 4))
  try {
    const json: unknown = JSON.parse(text)
    if (typeof json === 'object' && json !== null && typeof (json as { Message?: unknown }).Message === 'string') text = (json as { Message: string }).Message
  } catch {}
  text = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/gu, ' ').trim()
  const chars = [...text]
  return chars.length > ERROR_BODY_SNIPPET_BYTES ? chars.slice(0, ERROR_BODY_SNIPPET_BYTES).join('') + '…' : text
}

async function statusError (req: HttpFetchRequest, response: Response): Promise<never> {
  const body = await readPrefix(response.body, ERROR_BODY_SNIPPET_BYTES * 4)
  const detail = snippet(body)
  const notFound = response.status === 404 || /not found/i.test(detail)
  const text = `${req.source}: ${req.server} answered ${response.status}${response.statusText === '' ? '' : ' ' + response.statusText}${detail === '' ? '' : ': ' + detail}`
  failRegistry(notFound ? 'not-found' : 'http-error', req.source, text, { status: response.status })
}

function failNetwork (req: HttpFetchRequest, err: unknown, timedOut: boolean): never {
  if (registryProblemOf(err) !== undefined) throw err
  if (timedOut) failRegistry('timeout', req.source, `${req.source}: ${req.server} did not answer within ${req.timeoutMs} ms`, { cause: err })
  if (req.signal?.aborted === true) failRegistry('io', req.source, `${req.source}: loading the registry was aborted`, { cause: err })
  if (networkErrorCode(err) === 'ECONNREFUSED' && req.refusedMessage !== undefined) {
    failRegistry('daemon-down', req.source, `${req.source}: ${req.refusedMessage}`, { cause: err })
  }
  failRegistry('unreachable', req.source, `${req.source}: cannot reach ${req.server}: ${networkReason(err)}`, { cause: err })
}

/** The response body of a 2xx answer, at most `maxBytes`; throws a registry error otherwise. */
export async function httpFetch (req: HttpFetchRequest): Promise<Uint8Array> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => { timedOut = true; controller.abort(new Error('timeout')) }, req.timeoutMs)
  const onAbort = (): void => { controller.abort(req.signal?.reason) }
  req.signal?.addEventListener('abort', onAbort, { once: true })
  if (req.signal?.aborted === true) onAbort()
  try {
    const response = await fetch(req.url, { method: req.method, signal: controller.signal, redirect: 'follow' })
    if (!response.ok) await statusError(req, response)
    const length = Number(response.headers.get('content-length') ?? NaN)
    if (Number.isFinite(length) && length > req.maxBytes) {
      await response.body?.cancel().catch(() => {})
      failTooLarge(req.source, req.maxBytes, length)
    }
    return await readCapped(response.body, req.maxBytes, () => failTooLarge(req.source, req.maxBytes))
  } catch (err) {
    return failNetwork(req, err, timedOut)
  } finally {
    clearTimeout(timer)
    req.signal?.removeEventListener('abort', onAbort)
  }
}
