#!/usr/bin/env node
// Entry point: load the compat shims first, then the CLI from the built output.
await import('../dist/src/compat/index.js')
const { main } = await import('../dist/src/cli/main.js')
await main(process.argv)
