import { describe, expect, it } from 'vitest'
import { parseDialMultiaddr, parseListenMultiaddr } from '../../../src/discovery/parse-multiaddr.js'
import { isP2pchatError } from '../../../src/errors.js'
import { backoffDelay } from '../../../src/discovery/backoff.js'

function codeOf (fn: () => unknown): string | undefined {
  try { fn() } catch (err) { return isP2pchatError(err) ? err.code : 'other' }
  return undefined
}

describe('parseDialMultiaddr', () => {
  it.each([
    '/ip4/127.0.0.1/tcp/4001',
    '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf',
    '/ip6/::1/tcp/5000',
    '/dns4/example.test/tcp/4001'
  ])('accepts %s', addr => {
    expect(parseDialMultiaddr(addr).toString()).toBe(addr)
  })

  it.each([
    ['garbage', /must start with "\/"/],
    ['/garbage', /invalid multiaddr/],
    ['/ip4/999.1.1.1/tcp/1', /invalid multiaddr/],
    ['/ip4/127.0.0.1/udp/4001', /speaks TCP/],
    ['/ip4/127.0.0.1/tcp/0', /port must be 1-65535/]
  ])('rejects %s with a one-line INVALID_MULTIADDR', (addr, message) => {
    expect(codeOf(() => parseDialMultiaddr(addr))).toBe('INVALID_MULTIADDR')
    expect(() => parseDialMultiaddr(addr)).toThrow(message)
    try { parseDialMultiaddr(addr) } catch (err) { expect((err as Error).message).not.toContain('\n') }
  })
})

describe('parseListenMultiaddr', () => {
  it('accepts ip4/ip6 tcp addresses including port 0', () => {
    expect(parseListenMultiaddr('/ip4/0.0.0.0/tcp/0').toString()).toBe('/ip4/0.0.0.0/tcp/0')
    expect(parseListenMultiaddr('/ip6/::1/tcp/4001').toString()).toBe('/ip6/::1/tcp/4001')
  })

  it('rejects garbage and non-TCP addresses', () => {
    expect(codeOf(() => parseListenMultiaddr('nonsense'))).toBe('INVALID_MULTIADDR')
    expect(codeOf(() => parseListenMultiaddr('/ip4/127.0.0.1/udp/1'))).toBe('INVALID_MULTIADDR')
    expect(codeOf(() => parseListenMultiaddr('/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'))).toBe('INVALID_MULTIADDR')
  })
})

describe('backoffDelay', () => {
  const opts = { initialMs: 100, factor: 2, maxMs: 1000, jitter: 0.2 }
  it('grows exponentially up to the ceiling, within the jitter band', () => {
    expect(backoffDelay(0, opts, () => 0.5)).toBe(100)
    expect(backoffDelay(3, opts, () => 0.5)).toBe(800)
    expect(backoffDelay(10, opts, () => 0.5)).toBe(1000)
    expect(backoffDelay(0, opts, () => 0)).toBe(80)
    expect(backoffDelay(0, opts, () => 1)).toBe(120)
  })
})
