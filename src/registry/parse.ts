/**
 * Registry text -> typed `Registry`: size cap, UTF-8 decoding, YAML parsing
 * with source positions, then the schema. Errors are one line,
 * `source:line:column: message`; warnings are returned, not thrown.
 */

import { LineCounter, parseDocument } from 'yaml'
import { MAX_REGISTRY_BYTES } from './constants.js'
import { Issues, formatAt } from './issues.js'
import { failRegistry } from './problem.js'
import { checkRegistry } from './schema.js'
import { failTooLarge } from './size.js'
import type { ParsedRegistry } from './types.js'

/** Options of `parseRegistry`. */
export interface ParseRegistryOptions {
  /** The name errors start with: a path, URL or `/ipfs/<cid>`. @default 'registry' */
  source: string
  /** Larger input is refused. @default 1 MiB */
  maxBytes: number
}

/** Defaults of ParseRegistryOptions. */
export const DEFAULT_PARSE_OPTIONS: ParseRegistryOptions = {
  source: 'registry',
  maxBytes: MAX_REGISTRY_BYTES
}

function decode (bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (err) {
    failRegistry('not-yaml', source, `${source}: not a registry: the content is not UTF-8 text`, { cause: err })
  }
}

function oneLine (text: string): string {
  return text.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim()
}

/**
 * Parses and validates a registry. Throws a P2pchatError (cause: a
 * RegistryProblem of kind `too-large`, `not-yaml` or `schema`) on the first
 * error in the text; the others are on `problem.more`.
 */
export function parseRegistry (input: string | Uint8Array, options: Partial<ParseRegistryOptions> = {}): ParsedRegistry {
  const opts: ParseRegistryOptions = { ...DEFAULT_PARSE_OPTIONS }
  if (options.source !== undefined) opts.source = options.source
  if (options.maxBytes !== undefined) opts.maxBytes = options.maxBytes
  const { source, maxBytes } = opts
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength
  if (size > maxBytes) failTooLarge(source, maxBytes, size)
  const text = typeof input === 'string' ? input : decode(input, source)

  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const issues = new Issues(source, lines)
  if (doc.errors.length > 0) {
    const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0]
    const { line, col } = lines.linePos(first.pos[0])
    failRegistry('not-yaml', source, formatAt(source, line, col, `YAML syntax error: ${oneLine(first.message)}`), { line, column: col, cause: first })
  }
  for (const w of doc.warnings) issues.warn(w.pos[0], `YAML: ${oneLine(w.message)}`)

  const result = checkRegistry(doc, issues)
  const errors = issues.placedErrors()
  if (errors.length > 0 || result.registry === undefined) {
    const [first, ...rest] = errors
    failRegistry(result.notAMapping ? 'not-yaml' : 'schema', source, first?.text ?? `${source}: not a valid registry`, {
      line: first?.line,
      column: first?.column,
      more: rest.map(e => e.text)
    })
  }
  return { registry: result.registry, warnings: issues.placedWarnings() }
}
