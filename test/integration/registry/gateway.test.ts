/**
 * Loading a registry by CID from an HTTP gateway (`GET <gateway>/ipfs/<cid>`),
 * alone or as the fallback after the IPFS API; gateway bytes are verified too.
 */

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { computeUnixfsCid, loadRegistry, registryProblemOf } from '../../../src/registry/index.js'
import { catHandler, closedPort, startServer } from './local-http.js'
import type { LocalServer } from './local-http.js'
import type { IncomingMessage, ServerResponse } from 'node:http'

const EXAMPLE = readFileSync(fileURLToPath(new URL('../../../example_registry.yaml', import.meta.url)))

const servers: LocalServer[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async s => s.close())) })

async function serve (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const s = await startServer(handler)
  servers.push(s)
  return s
}

function gatewayHandler (cid: string, bytes: Uint8Array) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'GET' && req.url === `/ipfs/${cid}`) res.writeHead(200).end(bytes)
    else res.writeHead(404).end('ipfs resolve -r /ipfs/x: no link named "x"')
  }
}

describe('registry by CID from a gateway', () => {
  it('fetches <gateway>/ipfs/<cid> when the API is switched off', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 1)).toString()
    const gw = await serve(gatewayHandler(cid, EXAMPLE))
    const loaded = await loadRegistry(`ipfs://${cid}`, { ipfsApi: false, ipfsGateway: gw.url + '/', timeoutMs: 5000 })
    expect(loaded.registry.rooms).toHaveLength(3)
    expect(loaded.source).toEqual({ kind: 'cid', cid, via: 'gateway', url: `${gw.url}/ipfs/${cid}` })
    expect(gw.requests).toEqual([{ method: 'GET', url: `/ipfs/${cid}` }])
  })

  it('falls back to the gateway when no daemon answers', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const gw = await serve(gatewayHandler(cid, EXAMPLE))
    const loaded = await loadRegistry(cid, { ipfsApi: `http://127.0.0.1:${await closedPort()}`, ipfsGateway: gw.url, timeoutMs: 5000 })
    expect(loaded.source).toMatchObject({ via: 'gateway' })
  })

  it('falls back to the gateway when the API serves tampered bytes', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = await serve(catHandler(() => Buffer.from('created: 1\nrooms: []\n')))
    const gw = await serve(gatewayHandler(cid, EXAMPLE))
    const loaded = await loadRegistry(cid, { ipfsApi: api.url, ipfsGateway: gw.url, timeoutMs: 5000 })
    expect(loaded.source).toMatchObject({ via: 'gateway' })
    expect(api.requests).toHaveLength(1)
  })

  it('refuses tampered gateway bytes', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const gw = await serve(gatewayHandler(cid, Buffer.concat([EXAMPLE, Buffer.from('# extra\n')])))
    try {
      await loadRegistry(cid, { ipfsApi: false, ipfsGateway: gw.url, timeoutMs: 5000 })
      expect.unreachable()
    } catch (err) {
      expect(registryProblemOf(err)?.kind).toBe('cid-mismatch')
      expect((err as Error).message).toMatch(new RegExp(`^/ipfs/${cid}: content from the IPFS gateway at ${gw.url} does not match its CID: expected ${cid}, computed Qm\\w+; refusing it$`))
    }
  })

  it('names every failed source in one line when all fail', async () => {
    const cid = (await computeUnixfsCid(EXAMPLE, 0)).toString()
    const api = `http://127.0.0.1:${await closedPort()}`
    const gw = await serve(gatewayHandler('other', EXAMPLE))
    try {
      await loadRegistry(cid, { ipfsApi: api, ipfsGateway: gw.url, timeoutMs: 5000 })
      expect.unreachable()
    } catch (err) {
      const problem = registryProblemOf(err)
      expect(problem?.kind).toBe('all-sources-failed')
      expect(problem?.attempts?.map(a => a.kind)).toEqual(['daemon-down', 'not-found'])
      expect((err as Error).message).toBe(`/ipfs/${cid}: no verified copy: no IPFS daemon answers at ${api} (start one with \`ipfs daemon\`, or use --ipfs-gateway); then the IPFS gateway at ${gw.url} answered 404 Not Found: ipfs resolve -r /ipfs/x: no link named "x"`)
    }
  })
})
