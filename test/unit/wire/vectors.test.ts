/**
 * The wire-protocol test vectors (test/vectors/*.json, described in docs/wire-protocol.md)
 * are what the code does: every case of every file is recomputed with the real code, and
 * the generator, run again, writes the same files byte for byte.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHECKS } from '../../vectors/check/index.js'
import { buildVectors, serialise, VECTORS_DIR, writeVectors } from '../../vectors/generate.js'
import type { VectorFile } from '../../vectors/build/common.js'

// P2PCHAT_WRITE_VECTORS=1 rewrites the files from the code first (after a deliberate wire change).
if (process.env.P2PCHAT_WRITE_VECTORS === '1') console.log((await writeVectors()).join('\n'))

const names = readdirSync(VECTORS_DIR).filter(f => f.endsWith('.json')).map(f => f.slice(0, -'.json'.length)).sort()
const read = (name: string): VectorFile => JSON.parse(readFileSync(join(VECTORS_DIR, `${name}.json`), 'utf8')) as VectorFile

describe('wire protocol test vectors', () => {
  it('has a check for every vector file and a file for every check', () => {
    expect(names).toEqual(Object.keys(CHECKS).sort())
  })

  for (const name of names) {
    const file = read(name)
    describe(`${name}.json`, () => {
      it('has a description and cases', () => {
        expect(file.description.length).toBeGreaterThan(0)
        expect(file.cases.length).toBeGreaterThan(0)
      })
      for (const [i, c] of file.cases.entries()) {
        it(`case ${i}: ${(c as { name?: string }).name ?? ''}`, async () => {
          const check = CHECKS[name]
          if (check === undefined) throw new Error(`no check for ${name}.json`)
          await check(c as never, file.cases as never[])
        })
      }
    })
  }

  it('regenerating the vectors gives the same files, byte for byte', async () => {
    const built = await buildVectors()
    expect(Object.keys(built).sort()).toEqual(names)
    for (const [name, file] of Object.entries(built)) {
      expect(serialise(file), `${name}.json`).toBe(readFileSync(join(VECTORS_DIR, `${name}.json`), 'utf8'))
    }
  })
})
