/**
 * The layer rule of README's layer table, checked on the source: each folder of `src/`
 * imports only the folders below it in the table, the table lists every folder, and the
 * pure cores and the shared helpers are entered through their index.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '../../src')

/** README's layer table, top to bottom. */
function tableOrder (): string[] {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8')
  const start = readme.indexOf('| layer | what |')
  const rows = readme.slice(start).split('\n').slice(2)
  const order: string[] = []
  for (const row of rows) {
    const match = /^\| `src\/([a-z-]+)\/` \|/.exec(row)
    if (match === null) break
    order.push(match[1])
  }
  return order
}

function sourceFiles (dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

/** Every relative import of every file: [importing folder, imported folder, imported path]. */
function imports (): Array<{ file: string, from: string, to: string, target: string }> {
  const out: Array<{ file: string, from: string, to: string, target: string }> = []
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split('/')[0]
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = relative(SRC, join(file, '..', match[1]))
      const to = target.includes('/') ? target.split('/')[0] : target.replace(/\.js$/, '')
      out.push({ file: relative(SRC, file), from, to, target })
    }
  }
  return out
}

describe('layers', () => {
  const order = tableOrder()
  const folders = readdirSync(SRC).filter(name => statSync(join(SRC, name)).isDirectory())

  it('README lists every folder of src/ once', () => {
    expect([...order].sort()).toEqual([...folders].sort())
  })

  it('each folder imports only folders below it in the table', () => {
    const upward = imports()
      .filter(i => i.from !== i.to && order.includes(i.from) && order.includes(i.to))
      .filter(i => order.indexOf(i.to) <= order.indexOf(i.from))
      .map(i => `${i.file} imports ${i.target}`)
    expect(upward).toEqual([])
  })

  it('the cores and the shared helpers are entered through their index (or their dependency-free constants and options)', () => {
    const entered = new Set(['reliability', 'presence', 'consensus', 'direct', 'private', 'raintree', 'shared'])
    // constants.ts and options.ts import nothing heavy: the CLI reads them to answer --help without loading the codecs.
    const allowed = (i: { to: string, target: string }): boolean => ['index.js', 'constants.js', 'options.js'].some(f => i.target === `${i.to}/${f}`)
    const past = imports()
      .filter(i => i.from !== i.to && entered.has(i.to) && !allowed(i))
      .map(i => `${i.file} imports ${i.target}`)
    expect(past).toEqual([])
  })
})
