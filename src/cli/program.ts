/**
 * The commander program: every flag with its env fallback and default, and
 * `--help` with examples. `parseConfig` turns argv into a Config or a usage
 * error (exit code 2, one line).
 */

import { userInfo } from 'node:os'
import { Command, CommanderError, Option } from 'commander'
import { DEFAULT_LOCAL_PORT } from '../discovery/local-anchor.js'
import { DEFAULT_LISTEN } from '../node/constants.js'
import type { Config } from './config.js'
import { parseBootstrap, parseListen, parseLogFile, parseNick, parsePort, parseTopic } from './validate.js'

/** The default room. */
export const DEFAULT_TOPIC = 'lobby'

const EXAMPLES = `
Examples:
  $ p2pchat --topic x                      # in several terminals: they find each other
  $ p2pchat --topic x --nick alice
  $ p2pchat --topic x --listen /ip4/0.0.0.0/tcp/4001     # reachable from the LAN
  $ p2pchat --topic x --bootstrap /ip4/192.168.1.20/tcp/4001/p2p/12D3KooW...
  $ p2pchat --topic x --mdns               # find peers on the LAN by multicast DNS
  $ echo "deploy done" | p2pchat --topic ops --json

In the chat, type /help for commands.`

/** A usage error: the message is one line; the exit code is 2. */
export class UsageError extends Error {
  readonly exitCode = 2
}

/** Default nick: the OS user name when it is a valid nick, else "anon". */
export function defaultNick (): string {
  try {
    const name = userInfo().username.replace(/[^\p{L}\p{N}_.-]/gu, '').slice(0, 32)
    return name.length > 0 ? name : 'anon'
  } catch {
    return 'anon'
  }
}

/** Builds the program (exported for tests and --help). */
export function buildProgram (): Command {
  return new Command('p2pchat')
    .description('Peer-to-peer group chat over libp2p: no server, no account.')
    .addOption(new Option('-t, --topic <name>', 'room to join').env('P2PCHAT_TOPIC').default(DEFAULT_TOPIC).argParser(parseTopic))
    .addOption(new Option('-n, --nick <name>', 'your display name').env('P2PCHAT_NICK').default(defaultNick()).argParser(parseNick))
    .addOption(new Option('-l, --listen <multiaddr...>', 'addresses to listen on').env('P2PCHAT_LISTEN').argParser(parseListen))
    .addOption(new Option('-b, --bootstrap <multiaddr...>', 'peers to dial at start (with or without /p2p/<id>)').env('P2PCHAT_BOOTSTRAP').argParser(parseBootstrap))
    .addOption(new Option('--local-port <port>', 'well-known loopback port for zero-flag local discovery (0 = off)').env('P2PCHAT_LOCAL_PORT').default(DEFAULT_LOCAL_PORT).argParser(parsePort))
    .addOption(new Option('--mdns', 'discover peers on the LAN with multicast DNS').env('P2PCHAT_MDNS').default(false))
    .addOption(new Option('--public', 'join the public IPFS DHT through its bootstrap list (reaches the internet)').env('P2PCHAT_PUBLIC').default(false))
    .addOption(new Option('--json', 'print NDJSON events instead of text').env('P2PCHAT_JSON').default(false))
    .addOption(new Option('--no-color', 'never print colour (also NO_COLOR, TERM=dumb, or output not a terminal)'))
    .addOption(new Option('--log-file <path>', 'append diagnostics to this file (DEBUG=libp2p:* writes libp2p logs to stderr)').env('P2PCHAT_LOG_FILE').argParser(parseLogFile))
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
}

function envFlag (value: unknown): boolean {
  if (typeof value === 'boolean') return value
  return typeof value === 'string' && !['', '0', 'false', 'no', 'off'].includes(value.toLowerCase())
}

/**
 * Parses argv into a Config. Throws UsageError (one line) on a bad flag;
 * `--help` and `--version` print and throw CommanderError with exitCode 0.
 */
export function parseConfig (argv: string[], io: { out: (s: string) => void, err: (s: string) => void } = {
  out: s => process.stdout.write(s),
  err: s => process.stderr.write(s)
}): Config {
  const program = buildProgram()
  let captured = ''
  program.exitOverride().configureOutput({ writeOut: io.out, writeErr: s => { captured += s } })
  try {
    program.parse(argv)
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) throw err
    const message = (err instanceof CommanderError ? err.message : captured).split('\n')[0].replace(/^error: /, '')
    throw new UsageError(message)
  }
  const o = program.opts<{
    topic: string, nick: string, listen?: string[], bootstrap?: string[], localPort: number
    mdns: boolean | string, public: boolean | string, json: boolean | string, color: boolean, logFile?: string
  }>()
  return {
    topic: o.topic,
    nick: o.nick,
    listen: o.listen ?? DEFAULT_LISTEN,
    bootstrap: o.bootstrap ?? [],
    mdns: envFlag(o.mdns),
    public: envFlag(o.public),
    json: envFlag(o.json),
    color: o.color !== false && process.env.P2PCHAT_NO_COLOR === undefined,
    ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
    localPort: o.localPort
  }
}
