/**
 * The standard public IPFS bootstrap peers. Used ONLY when the user passes
 * `--public`; no default and no test ever dials them.
 */

/** The public IPFS ("Amino") DHT bootstrap list. */
export const PUBLIC_BOOTSTRAP_PEERS = [
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN',
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmQCU2EcMqAqQPR2i9bChDtGNJchTbq5TbXJJ16u19uLTa',
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb',
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt',
  '/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ'
]

/**
 * Test-only: the simulated internet (test/netns) names its own bootstrap nodes here, a comma-
 * separated list of multiaddrs, so that `--public` under test never reaches the real network.
 * Not a user feature and not documented as one.
 */
export const TEST_BOOTSTRAP_ENV = 'P2PCHAT_TEST_PUBLIC_BOOTSTRAP'

/** The bootstrap list `--public` uses: the standard one, or the simulated internet's under test. */
export function publicBootstrapPeers (env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env[TEST_BOOTSTRAP_ENV]
  if (override === undefined || override.trim() === '') return PUBLIC_BOOTSTRAP_PEERS
  return override.split(',').map(s => s.trim()).filter(s => s !== '')
}
