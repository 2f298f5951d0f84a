/**
 * Loading a registry from an http(s) URL (a node:http server on 127.0.0.1)
 * and from a file, including the size cap and clear failures.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { loadRegistry, registryProblemOf } from '../../../src/registry/index.js'
import { closedPort, startServer } from './local-http.js'
import type { LocalServer } from './local-http.js'

const EXAMPLE_PATH = fileURLToPath(new URL('../../../example_registry.yaml', import.meta.url))
const EXAMPLE = readFileSync(EXAMPLE_PATH)
const OVERSIZE = Buffer.alloc(1024 * 1024 + 1, 0x23) // '#' x (1 MiB + 1): a valid YAML comment, just too big
const dir = mkdtempSync(join(tmpdir(), 'p2pchat-registry-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

const servers: LocalServer[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async s => s.close())) })

async function failure (p: Promise<unknown>): Promise<{ message: string, kind?: string, code?: string }> {
  try { await p } catch (err) {
    return { message: (err as Error).message, kind: registryProblemOf(err)?.kind, code: isP2pchatError(err) ? err.code : undefined }
  }
  throw new Error('expected a refusal')
}

describe('registry from an http(s) URL', () => {
  it('loads it with GET', async () => {
    const s = await startServer((req, res) => { req.url === '/rooms.yaml' ? res.writeHead(200).end(EXAMPLE) : res.writeHead(404).end('nope') })
    servers.push(s)
    const loaded = await loadRegistry(`${s.url}/rooms.yaml`, { timeoutMs: 5000 })
    expect(loaded.registry.rooms.map(r => r.name)).toEqual(['lobby', 'printers', 'dev'])
    expect(loaded.source).toEqual({ kind: 'url', url: `${s.url}/rooms.yaml` })
    expect(s.requests).toEqual([{ method: 'GET', url: '/rooms.yaml' }])
  })

  it('refuses oversized content (chunked, no Content-Length)', async () => {
    const s = await startServer((_req, res) => { res.writeHead(200); res.write(OVERSIZE.subarray(0, 600_000)); res.end(OVERSIZE.subarray(600_000)) })
    servers.push(s)
    const f = await failure(loadRegistry(`${s.url}/big.yaml`, { timeoutMs: 5000 }))
    expect(f).toEqual({ kind: 'too-large', code: 'DECODE_FAILED', message: `${s.url}/big.yaml: registry is larger than the limit of 1 MiB; refusing it` })
  })

  it('honours a smaller maxBytes', async () => {
    const s = await startServer((_req, res) => { res.writeHead(200, { 'content-length': String(EXAMPLE.byteLength) }).end(EXAMPLE) })
    servers.push(s)
    const f = await failure(loadRegistry(`${s.url}/r.yaml`, { timeoutMs: 5000, maxBytes: 512 }))
    expect(f.message).toBe(`${s.url}/r.yaml: registry is larger than the limit of 512 bytes (${EXAMPLE.byteLength} bytes); refusing it`)
  })

  it('reports 404, an unreachable host, and invalid content with the URL as source', async () => {
    const s = await startServer((req, res) => { req.url === '/bad.yaml' ? res.writeHead(200).end('created: 1\nrooms: {}\n') : res.writeHead(404).end() })
    servers.push(s)
    expect(await failure(loadRegistry(`${s.url}/missing.yaml`, { timeoutMs: 5000 })))
      .toEqual({ kind: 'not-found', code: 'IO_FAILED', message: `${s.url}/missing.yaml: ${s.url} answered 404 Not Found` })
    expect((await failure(loadRegistry(`${s.url}/bad.yaml`, { timeoutMs: 5000 }))).message)
      .toBe(`${s.url}/bad.yaml:2:8: rooms must be a list of rooms, got a mapping`)
    const port = await closedPort()
    expect(await failure(loadRegistry(`http://127.0.0.1:${port}/r.yaml`, { timeoutMs: 5000 })))
      .toEqual({ kind: 'unreachable', code: 'IO_FAILED', message: `http://127.0.0.1:${port}/r.yaml: cannot reach http://127.0.0.1:${port}: connection refused` })
  })

  it('times out on a server that never answers', async () => {
    const s = await startServer(() => {})
    servers.push(s)
    expect(await failure(loadRegistry(`${s.url}/r.yaml`, { timeoutMs: 200 })))
      .toEqual({ kind: 'timeout', code: 'IO_FAILED', message: `${s.url}/r.yaml: ${s.url} did not answer within 200 ms` })
  })
})

describe('registry from a file', () => {
  it('loads a path and a file:// URL', async () => {
    const loaded = await loadRegistry(EXAMPLE_PATH)
    expect(loaded.registry.rooms).toHaveLength(3)
    expect(loaded.source).toEqual({ kind: 'file', path: EXAMPLE_PATH })
    expect((await loadRegistry(pathToFileURL(EXAMPLE_PATH).href)).registry).toEqual(loaded.registry)
  })

  it('refuses an oversized file without reading it', async () => {
    const path = join(dir, 'big.yaml')
    writeFileSync(path, OVERSIZE)
    expect(await failure(loadRegistry(path)))
      .toEqual({ kind: 'too-large', code: 'DECODE_FAILED', message: `${path}: registry is larger than the limit of 1 MiB (1048577 bytes); refusing it` })
  })

  it('reports a missing file and a directory', async () => {
    const missing = join(dir, 'nope.yaml')
    expect(await failure(loadRegistry(missing))).toEqual({ kind: 'not-found', code: 'IO_FAILED', message: `${missing}: no such registry file` })
    expect(await failure(loadRegistry(dir))).toEqual({ kind: 'io', code: 'IO_FAILED', message: `${dir}: is a directory, not a registry file` })
  })

  it('reports errors with the path, line and column', async () => {
    const path = join(dir, 'bad.yaml')
    writeFileSync(path, 'created: 1\nrooms:\n  - name: dev\n    rendezvous: ""\n')
    expect((await failure(loadRegistry(path))).message).toBe(`${path}:4:17: room "dev": rendezvous must be a non-empty string`)
  })
})

describe('cancellation', () => {
  it('stops a fetch when the caller\'s signal aborts', async () => {
    const s = await startServer(() => {})
    servers.push(s)
    const controller = new AbortController()
    setTimeout(() => { controller.abort() }, 50)
    expect(await failure(loadRegistry(`${s.url}/r.yaml`, { timeoutMs: 5000, signal: controller.signal })))
      .toEqual({ kind: 'io', code: 'IO_FAILED', message: `${s.url}/r.yaml: loading the registry was aborted` })
  })
})
