import { describe, expect, it } from 'vitest'
import { DEFAULT_DRIVER_OPTIONS, DEFAULT_ROOM_OPTIONS, resolveDriverOptions, resolveRoomOptions } from '../../../src/room/index.js'
import { DEFAULT_SESSION_OPTIONS, resolveSessionOptions } from '../../../src/session/options.js'
import { isP2pchatError } from '../../../src/errors.js'

/** The error code a resolver throws for `options`, or 'ok'. */
function outcome (resolve: () => unknown): string {
  try { resolve(); return 'ok' } catch (err) { return isP2pchatError(err) ? `${err.code}: ${err.message}` : `raw: ${(err as Error).message}` }
}

describe('options at the room and session layer', () => {
  it('resolve to their named defaults', () => {
    expect(resolveDriverOptions()).toEqual(DEFAULT_DRIVER_OPTIONS)
    expect(resolveRoomOptions()).toEqual(DEFAULT_ROOM_OPTIONS)
    expect(resolveSessionOptions()).toEqual(DEFAULT_SESSION_OPTIONS)
    expect(resolveDriverOptions({ maxPullsInFlight: undefined }).maxPullsInFlight).toBe(DEFAULT_DRIVER_OPTIONS.maxPullsInFlight)
  })

  it('refuse nonsense with one INVALID_OPTION line each', () => {
    const cases: Array<[string, () => unknown]> = [
      ['maxPullsInFlight', () => resolveDriverOptions({ maxPullsInFlight: 0 })],
      ['pullTargets', () => resolveDriverOptions({ pullTargets: 1.5 })],
      ['syncOnJoinMs', () => resolveDriverOptions({ syncOnJoinMs: -1 })],
      ['censusGraceMs', () => resolveDriverOptions({ censusGraceMs: Number.NaN })],
      ['trustedPeers', () => resolveDriverOptions({ trustedPeers: [1 as unknown as string] })],
      ['tickIntervalMs', () => resolveRoomOptions({ tickIntervalMs: 0 })],
      ['pullTimeoutMs', () => resolveRoomOptions({ pullTimeoutMs: Number.POSITIVE_INFINITY })],
      ['now', () => resolveRoomOptions({ now: 5 as unknown as () => number })],
      ['localPort', () => resolveSessionOptions({ localPort: 70000 })],
      ['topic', () => resolveSessionOptions({ topic: '' })],
      ['listen', () => resolveSessionOptions({ listen: 'x' as unknown as string[] })]
    ]
    for (const [field, resolve] of cases) {
      const result = outcome(resolve)
      expect(result, field).toMatch(/^INVALID_OPTION: /)
      expect(result, field).toContain(field)
      expect(result.split('\n'), field).toHaveLength(1)
    }
  })
})
