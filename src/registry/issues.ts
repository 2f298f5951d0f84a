/**
 * Collects validation errors and warnings with their source offsets, and turns
 * them into one-line `source:line:column: message` texts.
 */

import type { LineCounter } from 'yaml'
import type { RegistryWarning } from './types.js'

/** One finding: where (offset into the text) and what. */
export interface Issue {
  offset: number
  message: string
}

/** A finding resolved to a 1-based line and column. */
export interface PlacedIssue {
  line: number
  column: number
  message: string
  text: string
}

/** `source:line:column: message` (the position left out when unknown). */
export function formatAt (source: string, line: number, column: number, message: string): string {
  return line > 0 ? `${source}:${line}:${column}: ${message}` : `${source}: ${message}`
}

/** Errors and warnings found in one registry text. */
export class Issues {
  readonly errors: Issue[] = []
  readonly warnings: Issue[] = []

  constructor (private readonly source: string, private readonly lines: LineCounter) {}

  /** Records an error at `offset`. */
  error (offset: number, message: string): void {
    this.errors.push({ offset, message })
  }

  /** Records a warning at `offset`. */
  warn (offset: number, message: string): void {
    this.warnings.push({ offset, message })
  }

  /** 1-based line of an offset. */
  lineOf (offset: number): number {
    return this.lines.linePos(offset).line
  }

  /** The errors, earliest in the text first. */
  placedErrors (): PlacedIssue[] {
    return this.place(this.errors)
  }

  /** The warnings, earliest in the text first. */
  placedWarnings (): RegistryWarning[] {
    return this.place(this.warnings)
  }

  private place (issues: Issue[]): PlacedIssue[] {
    return [...issues]
      .sort((a, b) => a.offset - b.offset)
      .map(({ offset, message }) => {
        const { line, col } = this.lines.linePos(offset)
        return { line, column: col, message, text: formatAt(this.source, line, col, message) }
      })
  }
}
