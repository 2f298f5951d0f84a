/**
 * A TCP port the OS had free on loopback, for a process the simulator, a test or a benchmark
 * is about to spawn (a per-run local anchor port, so parallel runs never share one).
 */

import { createServer } from 'node:net'

/** A TCP port the OS just had free on 127.0.0.1. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
  })
}
