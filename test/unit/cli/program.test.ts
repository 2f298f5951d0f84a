import { describe, expect, it } from 'vitest'
import { CommanderError } from 'commander'
import { parseArgs, parseConfig, UsageError, DEFAULT_TOPIC } from '../../../src/cli/program.js'
import { DEFAULT_LOCAL_PORT } from '../../../src/discovery/local-anchor.js'

const quiet = { out: () => {}, err: () => {} }
const argv = (...args: string[]): string[] => ['node', 'p2pchat', ...args]

function usageError (args: string[]): UsageError {
  try {
    parseConfig(argv(...args), quiet)
  } catch (err) {
    if (err instanceof UsageError) return err
    throw err
  }
  throw new Error('expected a usage error')
}

describe('parseConfig', () => {
  it('has documented defaults', () => {
    const saved = { ...process.env }
    for (const k of Object.keys(process.env)) if (k.startsWith('P2PCHAT_')) delete process.env[k]
    try {
      const config = parseConfig(argv(), quiet)
      expect(config.topic).toBe(DEFAULT_TOPIC)
      expect(config.listen).toEqual(['/ip4/127.0.0.1/tcp/0'])
      expect(config.bootstrap).toEqual([])
      expect(config.localPort).toBe(DEFAULT_LOCAL_PORT)
      expect(config.mdns).toBe(false)
      expect(config.public).toBe(false)
      expect(config.relay).toBe(false)
      expect(config.upnp).toBe(false)
      expect(config.json).toBe(false)
      expect(config.color).toBe(true)
    } finally {
      process.env = saved
    }
  })

  it('reads every flag', () => {
    const config = parseConfig(argv('--topic', 'x', '--nick', 'alice', '--listen', '/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0',
      '--bootstrap', '/ip4/127.0.0.1/tcp/4001', '--mdns', '--json', '--no-color', '--local-port', '5000'), quiet)
    expect(config).toMatchObject({
      topic: 'x', nick: 'alice', listen: ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0'],
      bootstrap: ['/ip4/127.0.0.1/tcp/4001'], mdns: true, json: true, color: false, localPort: 5000
    })
  })

  it('falls back to P2PCHAT_* env vars, and a flag beats the env', () => {
    const saved = { ...process.env }
    process.env.P2PCHAT_TOPIC = 'from-env'
    process.env.P2PCHAT_LOCAL_PORT = '6000'
    process.env.P2PCHAT_BOOTSTRAP = '/ip4/127.0.0.1/tcp/1,/ip4/127.0.0.1/tcp/2'
    process.env.P2PCHAT_JSON = '1'
    try {
      const config = parseConfig(argv(), quiet)
      expect(config.topic).toBe('from-env')
      expect(config.localPort).toBe(6000)
      expect(config.bootstrap).toEqual(['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/tcp/2'])
      expect(config.json).toBe(true)
      expect(parseConfig(argv('--topic', 'flag'), quiet).topic).toBe('flag')
    } finally {
      process.env = saved
    }
  })

  it.each([
    [['--local-port', '70000'], /port must be a whole number from 0 to 65535/],
    [['--local-port', 'abc'], /port must be/],
    [['--listen', 'garbage'], /invalid multiaddr "garbage"/],
    [['--bootstrap', '/ip4/1.2.3.4/udp/1'], /speaks TCP/],
    [['--nick', 'has space'], /nick must be/],
    [['--topic', ''], /topic must be/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['--log-file', '/nonexistent-dir/x.log'], /cannot write the log file/],
    [['--reliability', 'bogus=1'], /not key=value with a known key/],
    [['--reliability', 'resendBaseMs=abc'], /resendBaseMs must be a number/],
    [['--reliability', 'historyLength=0'], /historyLength must be a positive integer/]
  ])('rejects %j with one line and exit code 2', (args, message) => {
    const err = usageError(args)
    expect(err.exitCode).toBe(2)
    expect(err.message).toMatch(message)
    expect(err.message).not.toContain('\n')
  })

  it('--help prints examples and exits 0', () => {
    let out = ''
    expect(() => parseConfig(argv('--help'), { out: s => { out += s }, err: () => {} })).toThrow(CommanderError)
    expect(out).toContain('Examples:')
    expect(out).toContain('p2pchat --topic x')
    expect(out).toContain('--local-port')
  })

  it('reads the registry flags and the rooms subcommand', () => {
    const chat = parseConfig(argv('--registry', 'example_registry.yaml', '--room', 'dev', '--ipfs-gateway', 'http://127.0.0.1:8080/'), quiet)
    expect(chat).toMatchObject({ registry: 'example_registry.yaml', room: 'dev', ipfsApi: 'http://127.0.0.1:5001', ipfsGateway: 'http://127.0.0.1:8080' })
    expect(parseArgs(argv('rooms', '--registry', 'r.yaml', '--json'), quiet)).toEqual({
      command: 'rooms', config: { registry: 'r.yaml', ipfsApi: 'http://127.0.0.1:5001', json: true }
    })
    expect(usageError(['--room', 'dev']).message).toBe('--room needs --registry <file|url|cid>')
    expect(usageError(['--relay']).message).toBe('--relay and --upnp need --public')
    expect(usageError(['--upnp']).message).toBe('--relay and --upnp need --public')
    const nat = parseConfig(argv('--public', '--relay', '--upnp'), quiet)
    expect([nat.public, nat.relay, nat.upnp]).toEqual([true, true, true])
    expect(usageError(['rooms']).message).toMatch(/required option '--registry <source>'/)
    expect(usageError(['--ipfs-api', 'ftp://x']).message).toMatch(/must be an http/)
    expect(usageError(['frobnicate']).message).toMatch(/unknown command|too many arguments/)
  })

  it('reads reliability tuning', () => {
    expect(parseConfig(argv('--reliability', 'resendBaseMs=500,lostAfterMs=60000'), quiet).reliability).toEqual({ resendBaseMs: 500, lostAfterMs: 60000 })
  })

  it('treats an empty P2PCHAT_* variable as unset', () => {
    const saved = { ...process.env }
    process.env.P2PCHAT_NICK = ''
    try {
      expect(parseConfig(argv(), quiet).nick.length).toBeGreaterThan(0)
    } finally {
      process.env = saved
    }
  })

  it('reads boolean env vars strictly: the documented words, else a usage error', () => {
    const saved = { ...process.env }
    try {
      for (const [value, expected] of [['1', true], ['TRUE', true], ['yes', true], ['on', true], ['0', false], ['false', false], ['No', false], ['off', false]] as const) {
        process.env.P2PCHAT_MDNS = value
        expect(parseConfig(argv(), quiet).mdns).toBe(expected)
      }
      process.env.P2PCHAT_MDNS = 'off'
      expect(parseConfig(argv('--mdns'), quiet).mdns).toBe(true)
      process.env.P2PCHAT_MDNS = 'maybe'
      const err = usageError([])
      expect(err.message).toBe('P2PCHAT_MDNS must be one of 1, true, yes, on, 0, false, no, off, not "maybe"')
      expect(err.exitCode).toBe(2)
      delete process.env.P2PCHAT_MDNS
      for (const name of ['P2PCHAT_PUBLIC', 'P2PCHAT_JSON', 'P2PCHAT_EPHEMERAL', 'P2PCHAT_NO_COLOR']) {
        process.env[name] = 'tru'
        expect(usageError([]).message).toMatch(new RegExp(`^${name} must be one of`))
        delete process.env[name]
      }
    } finally {
      process.env = saved
    }
  })

  it('--version prints the package version and exits 0', () => {
    let out = ''
    try {
      parseArgs(argv('--version'), { out: s => { out += s }, err: () => {} })
      throw new Error('expected --version to exit')
    } catch (err) {
      expect(err).toBeInstanceOf(CommanderError)
      expect((err as CommanderError).exitCode).toBe(0)
    }
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('flag and env value errors', () => {
  it('are one sentence naming the flag or the variable, without commander\'s wrapper', () => {
    expect(usageError(['--local-port', '99999']).message).toBe('--local-port: port must be a whole number from 0 to 65535, got "99999"')
    expect(usageError(['--key', '/nonexistent/key']).message).toBe('--key: cannot read /nonexistent/key: no such file or directory')
    const saved = { ...process.env }
    try {
      process.env.P2PCHAT_LOCAL_PORT = 'abc'
      expect(usageError([]).message).toBe('P2PCHAT_LOCAL_PORT: port must be a whole number from 0 to 65535, got "abc"')
    } finally {
      process.env = saved
    }
  })
})

describe('--paths, --join and the sim\'s RainTree flags', () => {
  it('--paths takes the three paths and refuses anything else in one line of ours', () => {
    expect(parseConfig(argv('--paths', 'raintree+gossipsub'), quiet).paths).toBe('raintree+gossipsub')
    expect(parseConfig(argv(), quiet).paths).toBe('gossipsub')
    expect(usageError(['--paths', 'carrier-pigeon']).message).toContain('give gossipsub, raintree+gossipsub or raintree, not "carrier-pigeon"')
  })

  it('--join checks an invite before anything starts', () => {
    expect(parseConfig(argv('--join', `p2pchat:room/team#${'A'.repeat(43)}`), quiet).join).toBe(`p2pchat:room/team#${'A'.repeat(43)}`)
    expect(parseConfig(argv('--join', 'team'), quiet).join).toBe('team')
    expect(usageError(['--join', 'p2pchat:room/team#short']).message).toContain('not a valid invite: the key in this invite is')
  })

  it('sim: --paths and --non-forwarding are for the live and model modes, and silencing needs RainTree', async () => {
    const { resolveSimConfig } = await import('../../../src/sim/config.js')
    expect(resolveSimConfig({ mode: 'live', nodes: 10, paths: 'raintree+gossipsub', nonForwarding: 0.3 })).toMatchObject({ paths: 'raintree+gossipsub', nonForwarding: 0.3 })
    expect(resolveSimConfig({ mode: 'model', nodes: 10, paths: 'raintree' })).toMatchObject({ paths: 'raintree' })
    expect(() => resolveSimConfig({ mode: 'procs', nodes: 3, paths: 'raintree' })).toThrow(/--paths and --non-forwarding apply to --mode live and model/)
    expect(() => resolveSimConfig({ mode: 'live', nodes: 10, nonForwarding: 0.1 })).toThrow(/--non-forwarding needs --paths raintree/)
  })
})
