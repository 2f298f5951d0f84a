/**
 * Test HTTP servers on 127.0.0.1, port 0 only: a handler-driven server that
 * records requests and can be closed with its open (hanging) connections, and
 * a port that was opened and closed again (connection refused).
 */

import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the server saw it. */
export interface SeenRequest {
  method: string
  url: string
}

/** A running test server. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  requests: SeenRequest[]
  close: () => Promise<void>
}

/** Starts a server on 127.0.0.1:0 that answers with `handler`. */
export async function startServer (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' })
    handler(req, res)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

/** A 127.0.0.1 port nothing listens on: opened on port 0, then closed. */
export async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/**
 * A fake kubo API: `POST /api/v0/cat?arg=<cid>` answers `content(cid)`, or
 * kubo's 500 JSON error when it returns undefined; GET gets 405 as in kubo.
 */
export function catHandler (content: (cid: string) => Uint8Array | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/api/v0/cat') { res.writeHead(404).end('404 page not found'); return }
    if (req.method !== 'POST') { res.writeHead(405).end('405 - Method Not Allowed'); return }
    const cid = url.searchParams.get('arg') ?? ''
    const bytes = content(cid)
    if (bytes === undefined) {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ Message: `block was not found locally (offline): ipld: could not find ${cid}`, Code: 0, Type: 'error' }))
      return
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'x-stream-output': '1' })
    res.end(bytes)
  }
}
