#!/usr/bin/env node
/**
 * Bundles the CLI (dist/src/cli/main.js, the tsc output) with its dependencies into
 * dist/bundle/ so a start loads a few files instead of about a thousand: on Node 20 that
 * takes module loading from ~0.6 s to ~0.2 s (BENCHMARKS.md, "Start-up"). Dynamic imports
 * stay separate chunks, so `--help` loads only the small entry chunk.
 *
 * Skipped when the bundle is newer than every file under dist/src and was built from the
 * same package-lock.json (by content: npm rewrites the file after `prepare`), so the
 * `prepare` of a first `npx p2pchat` in the repository is a no-op. classic-level stays external:
 * it loads its native binary from its own directory.
 */

import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const input = join(root, 'dist', 'src', 'cli', 'main.js')
const outDir = join(root, 'dist', 'bundle')
const stamp = join(outDir, 'main.js')

/** The newest modification time of any file under `dir`. */
function newest (dir) {
  let max = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    max = Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return max
}

const lock = join(root, 'package-lock.json')
const stampFile = join(outDir, '.lock-sha256')
const lockHash = existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : 'none'
const upToDate = existsSync(stamp) && existsSync(stampFile) &&
  statSync(stamp).mtimeMs >= newest(join(root, 'dist', 'src')) &&
  readFileSync(stampFile, 'utf8') === lockHash

if (!upToDate || process.argv.includes('--force')) {
  rmSync(outDir, { recursive: true, force: true })
  try {
    const { build } = await import('esbuild')
    await build({
      entryPoints: { main: input },
      bundle: true,
      platform: 'node',
      target: 'node20.11',
      format: 'esm',
      splitting: true,
      external: ['classic-level'],
      logLevel: 'warning',
      outdir: outDir,
      chunkNames: 'chunks/[name]-[hash]',
      // CommonJS dependencies (protobufjs, long, ...) call require() for Node's own modules;
      // an ES module bundle has no require of its own, so it is given one.
      banner: { js: "import { createRequire as __p2pchatCreateRequire } from 'node:module'; const require = __p2pchatCreateRequire(import.meta.url);" }
    })
    writeFileSync(stampFile, lockHash)
  } catch (err) {
    // Where esbuild's binary is missing (an unsupported platform): bin/p2pchat.js then runs dist/src.
    rmSync(outDir, { recursive: true, force: true })
    console.warn(`p2pchat: not bundled (${String(err?.message ?? err).split('\n')[0]}); the CLI runs from dist/src and starts about 0.4 s slower`)
  }
}
