#!/usr/bin/env node
// Entry point: load the compat shims first, then the CLI. dist/bundle/main.js is the CLI
// bundled with its dependencies (scripts/bundle.mjs), which starts about 0.4 s faster than
// the ~1,000 separate modules of dist/src; where it could not be built (esbuild has no binary
// for the platform), the tsc output runs instead.
import { existsSync } from 'node:fs'
await import('../dist/src/compat/index.js')
const bundled = new URL('../dist/bundle/main.js', import.meta.url)
const { main } = await import(existsSync(bundled) ? bundled.href : '../dist/src/cli/main.js')
await main(process.argv)
