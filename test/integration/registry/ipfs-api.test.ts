/**
 * Loading a registry by CID from an IPFS API (a real node:http server on
 * 127.0.0.1 speaking kubo's `POST /api/v0/cat?arg=<cid>`): right bytes are
 * accepted, tampered bytes refused, and every failure is one clear line.
 */

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { computeUnixfsCid, loadRegistry, registryProblemOf } from '../../../src/registry/index.js'
import type { RegistryProblem } from '../../../src/registry/index.js'
import { catHandler, closedPort, startServer } from './local-http.js'
import type { LocalServer } from './local-http.js'

const EXAMPLE = readFileSync(fileURLToPath(new URL('../../../example_registry.yaml', import.meta.url)))
const TAMPERED = Buffer.from(EXAMPLE.toString('utf8').replace('p2pchat/lobby', 'evil/lobby'))

const servers: LocalServer[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async s => s.close())) })

async function serve (...args: Parameters<typeof startServer>): Promise<LocalServer> {
  const s = await startServer(...args)
  servers.push(s)
  return s
}

async function refusal (p: Promise<unknown>): Promise<RegistryProblem & { code?: string }> {
  try { await p } catch (err) {
    const problem = registryProblemOf(err)
    if (problem === undefined) throw err
    expect(problem.message).toBe((err as Error).message)
    expect(problem.message).not.toContain('\n')
    return { ...problem, code: isP2pchatError(err) ? err.code : undefined }
  }
  throw new Error('expected a refusal')
}

describe('registry by CID from the IPFS API', () => {
  it('accepts the right bytes for a CIDv0, by POST /api/v0/cat', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = await serve(catHandler(c => c === cid ? EXAMPLE : undefined))
    const loaded = await loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 5000 })
    expect(loaded.registry.rooms.map(r => r.name)).toEqual(['lobby', 'printers', 'dev'])
    expect(loaded.source).toEqual({ kind: 'cid', cid, via: 'api', url: `${api.url}/api/v0/cat?arg=${cid}` })
    expect(loaded.bytes).toBe(EXAMPLE.byteLength)
    expect(api.requests).toEqual([{ method: 'POST', url: `/api/v0/cat?arg=${cid}` }])
  })

  it('accepts ipfs://, /ipfs/ and CIDv1 spellings', async () => {
    const v1 = (await computeUnixfsCid(EXAMPLE, 1)).toString()
    const api = await serve(catHandler(c => c === v1 ? EXAMPLE : undefined))
    for (const source of [v1, `ipfs://${v1}`, `/ipfs/${v1}`]) {
      const loaded = await loadRegistry(source, { ipfsApi: api.url, timeoutMs: 5000 })
      expect(loaded.registry.rooms).toHaveLength(3)
    }
  })

  it('refuses tampered bytes served for the CID', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const computed = (await computeUnixfsCid(TAMPERED, 0)).toString()
    const api = await serve(catHandler(() => TAMPERED))
    const p = await refusal(loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 5000 }))
    expect(p.kind).toBe('cid-mismatch')
    expect(p.code).toBe('DECODE_FAILED')
    expect(p.message).toBe(`/ipfs/${cid}: content from the IPFS API at ${api.url} does not match its CID: expected ${cid}, computed ${computed}; refusing it`)
  })

  it('says no daemon answers when the API port refuses connections', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = `http://127.0.0.1:${await closedPort()}`
    const p = await refusal(loadRegistry(cid, { ipfsApi: api, timeoutMs: 5000 }))
    expect(p.kind).toBe('daemon-down')
    expect(p.code).toBe('IO_FAILED')
    expect(p.message).toBe(`/ipfs/${cid}: no IPFS daemon answers at ${api} (start one with \`ipfs daemon\`, or use --ipfs-gateway)`)
  })

  it('times out on a daemon that accepts but never answers', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = await serve(() => { /* never answer */ })
    // Without the 300 ms timer this would hang until the test's own timeout.
    const p = await refusal(loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 300 }))
    expect(p.kind).toBe('timeout')
    expect(p.message).toBe(`/ipfs/${cid}: the IPFS API at ${api.url} did not answer within 300 ms`)
  })

  it('times out on a daemon that stalls in the middle of the body', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = await serve((_req, res) => { res.writeHead(200); res.write(EXAMPLE.subarray(0, 100)) })
    const p = await refusal(loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 300 }))
    expect(p.kind).toBe('timeout')
  })

  it('refuses content past the size cap while streaming, without reading it all', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    let written = 0
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      const pump = (): void => {
        while (!res.destroyed && written < 64 * 1024 * 1024) {
          written += chunk.length
          if (!res.write(chunk)) { res.once('drain', pump); return }
        }
        res.end()
      }
      pump()
    })
    const p = await refusal(loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 5000 }))
    expect(p.kind).toBe('too-large')
    expect(p.message).toBe(`/ipfs/${cid}: registry is larger than the limit of 1 MiB; refusing it`)
    expect(written).toBeLessThan(16 * 1024 * 1024)
  })

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = await serve((_req, res) => { res.writeHead(200, { 'content-length': String(1024 * 1024 + 1) }); res.end(Buffer.alloc(1024 * 1024 + 1)) })
    const p = await refusal(loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 5000 }))
    expect(p.message).toBe(`/ipfs/${cid}: registry is larger than the limit of 1 MiB (1048577 bytes); refusing it`)
  })

  it('reports kubo\'s 500 "not found" as not-found, with the status and message', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = await serve(catHandler(() => undefined))
    const p = await refusal(loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 5000 }))
    expect(p.kind).toBe('not-found')
    expect(p.status).toBe(500)
    expect(p.message).toBe(`/ipfs/${cid}: the IPFS API at ${api.url} answered 500 Internal Server Error: block was not found locally (offline): ipld: could not find ${cid}`)
  })

  it('reports a 404 as not-found and another error status as http-error, with a body snippet', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const missing = await serve((_req, res) => { res.writeHead(404).end('404 page not found') })
    const p404 = await refusal(loadRegistry(cid, { ipfsApi: missing.url, timeoutMs: 5000 }))
    expect([p404.kind, p404.status]).toEqual(['not-found', 404])
    expect(p404.message).toBe(`/ipfs/${cid}: the IPFS API at ${missing.url} answered 404 Not Found: 404 page not found`)
    const broken = await serve((_req, res) => { res.writeHead(503).end('<html>\n  overloaded ' + 'x'.repeat(400) + '</html>') })
    const p503 = await refusal(loadRegistry(cid, { ipfsApi: broken.url, timeoutMs: 5000 }))
    expect([p503.kind, p503.status]).toEqual(['http-error', 503])
    expect(p503.message).toBe(`/ipfs/${cid}: the IPFS API at ${broken.url} answered 503 Service Unavailable: <html> overloaded ${'x'.repeat(200 - 18)}…`)
  })

  it('refuses verified content that is not a valid registry, with line and column', async () => {
    const bytes = Buffer.from('created: 1\nrooms:\n  - name: dev\n')
    const cid = (await computeUnixfsCid(bytes, 0)).toString()
    const api = await serve(catHandler(() => bytes))
    const p = await refusal(loadRegistry(cid, { ipfsApi: api.url, timeoutMs: 5000 }))
    expect(p.kind).toBe('schema')
    expect(p.message).toBe(`/ipfs/${cid}:3:5: room "dev": missing "rendezvous"`)
  })
})
