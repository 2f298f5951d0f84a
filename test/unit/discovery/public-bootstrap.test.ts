import { describe, expect, it } from 'vitest'
import { PUBLIC_BOOTSTRAP_PEERS, TEST_BOOTSTRAP_ENV, publicBootstrapPeers } from '../../../src/discovery/public-bootstrap.js'

describe('publicBootstrapPeers', () => {
  it('is the standard IPFS list unless the simulated internet names its own nodes', () => {
    expect(publicBootstrapPeers({})).toBe(PUBLIC_BOOTSTRAP_PEERS)
    expect(publicBootstrapPeers({ [TEST_BOOTSTRAP_ENV]: ' ' })).toBe(PUBLIC_BOOTSTRAP_PEERS)
    expect(publicBootstrapPeers({ [TEST_BOOTSTRAP_ENV]: '/ip4/198.51.100.10/tcp/4001/p2p/a, /ip4/198.51.100.11/tcp/4001/p2p/b' }))
      .toEqual(['/ip4/198.51.100.10/tcp/4001/p2p/a', '/ip4/198.51.100.11/tcp/4001/p2p/b'])
  })
})
