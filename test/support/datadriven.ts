/**
 * A small data-driven test runner in the style of cockroachdb/datadriven, which
 * etcd-io/raft's interaction tests use. A file holds blocks: one or more command
 * lines, a `----` line, and the expected output, ended by a blank line. Lines
 * starting with `#` are comments. With P2PCHAT_UPDATE_GOLDEN=1 the file is rewritten
 * with the actual output, so a change in behaviour shows up as a readable diff.
 */
import { readFileSync, writeFileSync } from 'node:fs'

/** One block of a scenario file. */
export interface Block {
  commands: string[]
  expected: string
  /** Line number of the first command (1-based), for messages. */
  line: number
}

/** Splits a scenario file into blocks (comments kept only in the rewritten file). */
export function parseBlocks (text: string): Array<Block | { comment: string }> {
  const lines = text.split('\n')
  const out: Array<Block | { comment: string }> = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]
    if (line.trim() === '') { i++; continue }
    if (line.startsWith('#')) { out.push({ comment: line }); i++; continue }
    const start = i
    const commands: string[] = []
    while (i < lines.length && lines[i] !== '----') commands.push(lines[i++])
    if (i >= lines.length) throw new Error(`line ${start + 1}: a block without "----"`)
    i++
    const expected: string[] = []
    while (i < lines.length && lines[i] !== '') expected.push(lines[i++])
    out.push({ commands, expected: expected.join('\n'), line: start + 1 })
  }
  return out
}

/** Runs every block through `run` (one command line in, output lines out); returns mismatches, or rewrites the file. */
export function runScenarioFile (path: string, run: (command: string) => string[]): Array<{ line: number, expected: string, actual: string }> {
  const parts = parseBlocks(readFileSync(path, 'utf8'))
  const update = process.env.P2PCHAT_UPDATE_GOLDEN === '1'
  const mismatches: Array<{ line: number, expected: string, actual: string }> = []
  const rewritten: string[] = []
  for (const part of parts) {
    if ('comment' in part) { rewritten.push(part.comment); continue }
    const actual = part.commands.flatMap(command => {
      try { return run(command) } catch (err) { return [`error: ${(err as Error).message}`] }
    }).join('\n')
    if (actual !== part.expected) mismatches.push({ line: part.line, expected: part.expected, actual })
    rewritten.push([...part.commands, '----', actual].join('\n') + '\n')
  }
  if (update) writeFileSync(path, rewritten.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n')
  return update ? [] : mismatches
}
