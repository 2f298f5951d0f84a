#!/usr/bin/env node
// Entry point: load the compat shims first, then the CLI. dist/bundle/main.js is the CLI
// bundled with its dependencies (scripts/bundle.mjs), which starts about 0.4 s faster than
// the ~1,000 separate modules of dist/src.
await import('../dist/src/compat/index.js')
const { main } = await import('../dist/bundle/main.js')
await main(process.argv)
