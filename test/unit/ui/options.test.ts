import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { DEFAULT_FORCE_EXIT_WINDOW_MS, DEFAULT_HISTORY_SIZE, resolveUiOptions } from '../../../src/ui/options.js'
import { Collector, FakeTtyInput } from './fake-session.js'

describe('resolveUiOptions', () => {
  it('spreads options over named defaults, ignoring undefined values', () => {
    const input = new PassThrough()
    const output = new Collector()
    const o = resolveUiOptions({ input, output, json: undefined, historySize: 10 })
    expect(o.input).toBe(input)
    expect(o.output).toBe(output)
    expect(o.json).toBe(false)
    expect(o.color).toBe(false)
    expect(o.historySize).toBe(10)
    expect(o.forceExitWindowMs).toBe(DEFAULT_FORCE_EXIT_WINDOW_MS)
    expect(resolveUiOptions({ input, output }).historySize).toBe(DEFAULT_HISTORY_SIZE)
  })

  it('is interactive by default only when both streams are TTYs', () => {
    expect(resolveUiOptions({ input: new FakeTtyInput(), output: new Collector(true) }).interactive).toBe(true)
    expect(resolveUiOptions({ input: new FakeTtyInput(), output: new Collector(false) }).interactive).toBe(false)
    expect(resolveUiOptions({ input: new PassThrough(), output: new Collector(true) }).interactive).toBe(false)
    expect(resolveUiOptions({ input: new PassThrough(), output: new Collector(true), interactive: true }).interactive).toBe(true)
  })

  it('rejects invalid values with INVALID_FLAG', () => {
    const input = new PassThrough()
    const output = new Collector()
    for (const bad of [{ historySize: -1 }, { historySize: 1.5 }, { forceExitWindowMs: -5 }, { forceExitWindowMs: Number.NaN }]) {
      let caught: unknown
      try { resolveUiOptions({ input, output, ...bad }) } catch (err) { caught = err }
      expect(isP2pchatError(caught, 'INVALID_FLAG')).toBe(true)
    }
  })
})
