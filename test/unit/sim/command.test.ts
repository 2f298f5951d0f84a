/**
 * The `sim` command's flags: defaults, every value parser, cross-flag checks,
 * and one-line errors for bad parameters.
 */
import { describe, expect, it } from 'vitest'
import { CommanderError } from 'commander'
import { buildSimCommand, type SimConfig } from '../../../src/cli/sim-command.js'

function parse (args: string[]): SimConfig {
  let config: SimConfig | undefined
  const cmd = buildSimCommand(c => { config = c })
  cmd.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} })
  cmd.parse(args, { from: 'user' })
  if (config === undefined) throw new Error('no config')
  return config
}

function errorOf (args: string[]): string {
  try {
    parse(args)
  } catch (err) {
    expect(err).toBeInstanceOf(CommanderError)
    return (err as CommanderError).message
  }
  throw new Error(`no error for ${args.join(' ')}`)
}

describe('p2pchat sim flags', () => {
  it('has defaults for a quick model run', () => {
    expect(parse([])).toMatchObject({ mode: 'model', nodes: 10, messages: 100, rate: 10, senders: 0, seed: 1, loss: 0, reliability: true, partitions: [], lateJoin: 0, json: false })
  })

  it('parses every flag', () => {
    const c = parse(['--mode', 'live', '--nodes', '25', '--messages', '300', '--rate', '2.5', '--senders', '5', '--size', '200', '--seed', '9',
      '--loss', '20%', '--partition', 'at=10s,for=30s,split=50%', '--partition', 'at=1m,for=500ms', '--churn', 'rate=6/m,downtime=5s',
      '--late-join', '3', '--no-reliability', '--D', '4', '--Dlo', '3', '--Dhi', '8', '--heartbeat', '700ms', '--warmup', '1s', '--timeout', '2m',
      '--json', '--report', 'r.html', '--workers', '2', '--check'])
    expect(c).toMatchObject({
      mode: 'live', nodes: 25, messages: 300, rate: 2.5, senders: 5, size: 200, seed: 9, loss: 0.2,
      partitions: [{ atMs: 10_000, forMs: 30_000, split: 0.5 }, { atMs: 60_000, forMs: 500, split: 0.5 }],
      churn: { ratePerSec: 0.1, downtimeMs: 5000 }, lateJoin: 3, reliability: false,
      gossip: { D: 4, Dlo: 3, Dhi: 8, heartbeatMs: 700 }, warmupMs: 1000, timeoutMs: 120_000, json: true, report: 'r.html', workers: 2, check: true
    })
  })

  it('parses the live network flags', () => {
    expect(parse(['--mode', 'live', '--topology', 'random:6', '--fast-msg-id', 'on', '--idontwant', '65536', '--flood-publish', 'off', '--partition', 'at=1s,for=2s', '--heal-rediscover'])).toMatchObject({
      topology: { kind: 'random', degree: 6 }, gossip: { fastMsgId: true, idontwantMinBytes: 65_536, floodPublish: false }, healRediscover: true
    })
  })

  it('turns --procs into the procs mode with that many nodes', () => {
    expect(parse(['--procs', '3'])).toMatchObject({ mode: 'procs', nodes: 3 })
  })

  it.each([
    [['--nodes', '0'], /--nodes must be a whole number from 2/],
    [['--nodes', 'many'], /--nodes must be a whole number/],
    [['--loss', '2'], /--loss must be between 0 and 1/],
    [['--loss', '150%'], /--loss must be between 0 and 1/],
    [['--rate', '0'], /--rate must be a number above 0/],
    [['--partition', 'at=10s'], /needs at= and for=/],
    [['--partition', 'at=10,for=30s'], /duration with a unit/],
    [['--partition', 'at=10s,for=30s,split=100%'], /strictly between/],
    [['--partition', 'when=10s,for=30s'], /not one of at=, for=, split=/],
    [['--churn', 'rate=fast,downtime=5s'], /rate= must be crashes per second/],
    [['--mode', 'cloud'], /--mode must be "model" or "live"/],
    [['--heartbeat', '1'], /duration with a unit/],
    [['--D', '4'], /apply to --mode live/],
    [['--mode', 'live', '--D', '4', '--Dlo', '6'], /--Dlo 6 must not exceed --D 4/],
    [['--procs', '3', '--loss', '0.1'], /--loss, --dup, --reorder and --partition need --mode live or model/],
    [['--procs', '3', '--reorder', '0.1'], /--loss, --dup, --reorder and --partition need --mode live or model/],
    [['--procs', '3', '--mode', 'model'], /does not combine with --mode model/],
    [['--nodes', '5', '--late-join', '5'], /--late-join 5 must be below --nodes 5/],
    [['--mode', 'live', '--topology', 'star'], /--topology must be "rendezvous" or "random:K"/],
    [['--topology', 'random:4'], /--topology applies to --mode live only/],
    [['--mode', 'live', '--heal-rediscover'], /--heal-rediscover applies to --mode live with --partition/],
    [['--mode', 'live', '--flood-publish', 'maybe'], /must be "on" or "off"/]
  ])('refuses %j with one line', (args, pattern) => {
    const message = errorOf(args)
    expect(message).toMatch(pattern)
    expect(message).not.toContain('\n')
  })

  it('has help with examples', () => {
    let help = ''
    const cmd = buildSimCommand(() => {})
    cmd.exitOverride().configureOutput({ writeOut: s => { help += s }, writeErr: () => {} })
    expect(() => cmd.parse(['--help'], { from: 'user' })).toThrow(CommanderError)
    expect(help).toContain('Examples:')
    expect(help).toContain('--partition')
    expect(help).toContain('--no-reliability')
  })
})
