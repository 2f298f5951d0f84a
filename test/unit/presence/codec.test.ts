import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeEphemeral, encodeEphemeral, PRESENCE_LIMITS, type EphemeralMessage } from '../../../src/presence/index.js'
import { schema } from '../../../src/wire/schema.js'

const hex16 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex'))
const peer = fc.uint8Array({ minLength: 1, maxLength: PRESENCE_LIMITS.maxPeerIdBytes })
const u64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })

const message: fc.Arbitrary<EphemeralMessage> = fc.oneof(
  fc.record({
    type: fc.constant('presence' as const),
    envelopeId: hex16,
    origin: peer,
    version: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    issuedAt: u64,
    ttlSeconds: fc.integer({ min: 1, max: 0xffff_ffff }),
    nick: fc.string({ maxLength: PRESENCE_LIMITS.maxNickLength }),
    status: fc.string({ maxLength: PRESENCE_LIMITS.maxStatusLength }),
    away: fc.boolean(),
    client: fc.string({ maxLength: PRESENCE_LIMITS.maxClientLength }),
    joinedAt: u64,
    periodMs: fc.integer({ min: 1, max: 0xffff_ffff })
  }),
  fc.record({ type: fc.constant('leave' as const), envelopeId: hex16, origin: peer, version: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), issuedAt: u64 }),
  fc.record({ type: fc.constant('poll' as const), pollId: hex16, origin: peer, p: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), issuedAt: u64 }),
  fc.record({ type: fc.constant('reply' as const), pollId: hex16, responder: peer })
)

function normalise (msg: EphemeralMessage): unknown {
  return Object.fromEntries(Object.entries(msg).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v]))
}

describe('Ephemeral codec', () => {
  it('round-trips every well-formed message', () => {
    fc.assert(fc.property(message, (msg) => {
      const decoded = decodeEphemeral(encodeEphemeral(msg))
      expect(decoded.ok).toBe(true)
      if (decoded.ok) expect(normalise(decoded.value)).toEqual(normalise(msg))
    }), { numRuns: 500 })
  })

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
      const decoded = decodeEphemeral(bytes)
      if (!decoded.ok) expect(['malformed', 'oversized', 'unsupported']).toContain(decoded.reason)
    }), { numRuns: 2000 })
  })

  it('never throws on mutated valid messages', () => {
    fc.assert(fc.property(message, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }), (msg, flips) => {
      const bytes = encodeEphemeral(msg).slice()
      for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value
      decodeEphemeral(bytes)
    }), { numRuns: 1000 })
  })

  const base = {
    type: 'presence' as const,
    envelopeId: '11'.repeat(16),
    origin: new Uint8Array(38).fill(1),
    version: 1,
    issuedAt: 1000,
    ttlSeconds: 90,
    nick: 'alice',
    status: '',
    away: false,
    client: 'p2pchat/0.1.0',
    joinedAt: 1000,
    periodMs: 30_000
  }

  it('enforces the text limits (nick 32, status 100, client 64)', () => {
    expect(decodeEphemeral(encodeEphemeral({ ...base, nick: 'n'.repeat(32), status: 's'.repeat(100), client: 'c'.repeat(64) })).ok).toBe(true)
    for (const over of [{ nick: 'n'.repeat(33) }, { status: 's'.repeat(101) }, { client: 'c'.repeat(65) }]) {
      const decoded = decodeEphemeral(encodeEphemeral({ ...base, ...over }))
      expect(decoded).toMatchObject({ ok: false, reason: 'oversized' })
    }
  })

  it('refuses bad fields', () => {
    const bad = (fields: Record<string, unknown>): unknown => decodeEphemeral(schema.Ephemeral.encode(fields).finish())
    expect(bad({})).toMatchObject({ ok: false, reason: 'malformed' })
    expect(bad({ presence: { ...base, envelopeId: new Uint8Array(15) } })).toMatchObject({ ok: false, reason: 'malformed' })
    expect(bad({ presence: { ...base, envelopeId: new Uint8Array(16), origin: new Uint8Array(0) } })).toMatchObject({ ok: false, reason: 'malformed' })
    expect(bad({ presence: { ...base, envelopeId: new Uint8Array(16), origin: new Uint8Array(129) } })).toMatchObject({ ok: false, reason: 'oversized' })
    expect(bad({ presence: { ...base, envelopeId: new Uint8Array(16), version: 0 } })).toMatchObject({ ok: false, reason: 'malformed' })
    expect(bad({ presence: { ...base, envelopeId: new Uint8Array(16), periodMs: 0 } })).toMatchObject({ ok: false, reason: 'malformed' })
    expect(bad({ presence: { ...base, envelopeId: new Uint8Array(16), ttlSeconds: 0 } })).toMatchObject({ ok: false, reason: 'malformed' })
    for (const p of [0, -0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(bad({ poll: { pollId: new Uint8Array(16), origin: new Uint8Array(38), p, issuedAt: 1 } })).toMatchObject({ ok: false, reason: 'malformed' })
    }
    expect(bad({ reply: { pollId: new Uint8Array(16) } })).toMatchObject({ ok: false, reason: 'malformed' })
    // uint64 beyond the safe range
    expect(bad({ leave: { envelopeId: new Uint8Array(16), origin: new Uint8Array(38), version: '18446744073709551615', issuedAt: 1 } }))
      .toMatchObject({ ok: false, reason: 'malformed' })
  })

  it('refuses oversized input before decoding it', () => {
    expect(decodeEphemeral(new Uint8Array(PRESENCE_LIMITS.maxEphemeralBytes + 1))).toMatchObject({ ok: false, reason: 'oversized' })
  })

  it('keeps the largest legal record under the byte limit', () => {
    const largest = encodeEphemeral({
      ...base,
      origin: new Uint8Array(PRESENCE_LIMITS.maxPeerIdBytes).fill(255),
      version: Number.MAX_SAFE_INTEGER,
      issuedAt: Number.MAX_SAFE_INTEGER,
      joinedAt: Number.MAX_SAFE_INTEGER,
      ttlSeconds: 0xffff_ffff,
      periodMs: 0xffff_ffff,
      // 3-byte UTF-8 characters
      nick: '€'.repeat(32),
      status: '€'.repeat(100),
      client: '€'.repeat(64),
      away: true
    })
    expect(largest.byteLength).toBeLessThan(PRESENCE_LIMITS.maxEphemeralBytes)
    expect(decodeEphemeral(largest).ok).toBe(true)
  })
})
