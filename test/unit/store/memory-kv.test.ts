import { describe, expect, it } from 'vitest'
import { MemoryKv } from '../../../src/store/kv.js'
import { encodeStored } from '../../../src/store/record-codec.js'
import { ReliableChannel } from '../../../src/reliability/index.js'

describe('the in-memory store (--ephemeral)', () => {
  it('keeps a copy of each value, not a view that pins an encoder\'s shared pool block', async () => {
    const kv = new MemoryKv()
    const message = new ReliableChannel('alice', 'room').send(new TextEncoder().encode('hello'), 1_000)
    const encoded = encodeStored(message, 1_000)
    // protobufjs hands out small encodings as views into a shared 8 KiB block.
    expect(encoded.buffer.byteLength).toBeGreaterThan(encoded.byteLength)
    await kv.write([{ type: 'put', key: 'm/1', value: encoded }])
    const stored = await kv.get('m/1')
    expect(Array.from(stored ?? [])).toEqual(Array.from(encoded))
    expect(stored?.buffer.byteLength).toBe(stored?.byteLength)
  })
})
