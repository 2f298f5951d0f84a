/**
 * package.json overrides libp2p's p-retry@8 (engines: Node >= 22) with p-retry@7.1.1
 * (Node >= 20), so `npm install` on Node 20 is quiet. libp2p calls it in one place,
 * its reconnect queue: `pRetry(async attempt => ..., { signal, retries, factor, minTimeout })`.
 * This checks that the version libp2p actually resolves keeps that contract.
 */

import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// By path, not require.resolve: libp2p exports only an `import` condition, which require.resolve
// on Node 20.11 (before require(esm), 20.19) cannot resolve.
const libp2pRoot = fileURLToPath(new URL('../../../node_modules/libp2p', import.meta.url))

/** The p-retry package libp2p resolves (nested under libp2p when overridden). */
function libp2pPRetry (): { dir: string, version: string, engines: string } {
  for (const dir of [join(libp2pRoot, 'node_modules', 'p-retry'), join(dirname(libp2pRoot), 'p-retry')]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string, engines: { node: string } }
      return { dir, version: pkg.version, engines: pkg.engines.node }
    } catch {}
  }
  throw new Error('p-retry not found beside libp2p')
}

type PRetry = (fn: (attempt: number) => Promise<unknown>, options: { signal?: AbortSignal, retries: number, factor: number, minTimeout: number }) => Promise<unknown>

describe('p-retry as libp2p uses it', () => {
  it('is the overridden version, whose engines include Node 20.11', () => {
    const found = libp2pPRetry()
    expect(found.version).toBe('7.1.1')
    expect(found.engines).toBe('>=20')
  })

  it('passes attempt numbers, honours retries, and stops on abort', async () => {
    const { default: pRetry } = await import(pathToFileURL(join(libp2pPRetry().dir, 'index.js')).href) as { default: PRetry }
    const attempts: number[] = []
    await expect(pRetry(async attempt => { attempts.push(attempt); throw new Error('refused') }, { retries: 3, factor: 2, minTimeout: 1 })).rejects.toThrow('refused')
    expect(attempts).toEqual([1, 2, 3, 4])

    const ok: number[] = []
    await pRetry(async attempt => { ok.push(attempt); if (attempt < 2) throw new Error('once') }, { retries: 5, factor: 2, minTimeout: 1 })
    expect(ok).toEqual([1, 2])

    const controller = new AbortController()
    let calls = 0
    const run = pRetry(async () => { calls++; controller.abort(new Error('stopped')); throw new Error('refused') }, { signal: controller.signal, retries: 5, factor: 2, minTimeout: 1 })
    await expect(run).rejects.toThrow()
    expect(calls).toBe(1)
  })
})
