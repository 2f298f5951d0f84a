/**
 * The commander program: every flag with its env fallback and default, and
 * `--help` with examples. `parseConfig` turns argv into a Config or a usage
 * error (exit code 2, one line).
 */

import { userInfo } from 'node:os'
import { Command, CommanderError, Option } from 'commander'
import { DEFAULT_LOCAL_PORT } from '../discovery/local-anchor.js'
import { DEFAULT_LISTEN } from '../node/constants.js'
import { DEFAULT_IPFS_API } from '../registry/constants.js'
import type { Invocation } from './config.js'
import { buildSimCommand } from './sim-command.js'
import { packageVersion } from './version.js'
import type { SimConfig } from '../sim/config.js'
import type { Config } from './config.js'
import type { ChannelOptions } from '../reliability/index.js'
import type { PresenceOptions } from '../presence/constants.js'
import type { CommitteeTuning } from './validate.js'
import {
  parseBootstrap, parseHttpUrl, parseJoin, parsePaths, parseListen, parseLogFile, parseNick, parsePort, parseRegistrySource, parseCommittee, parsePresence, parseProfile, parseReadableFile, parseReliability, parseRoomName, parseTopic
} from './validate.js'

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
  $ p2pchat --registry example_registry.yaml --room dev
  $ p2pchat rooms --registry bafybeig...             # list a registry's rooms (IPFS CID, URL or file)
  $ p2pchat sim --nodes 1000 --messages 100 --loss 10%   # simulate a room (see: p2pchat sim --help)

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

function registryOptions (): Option[] {
  return [
    new Option('--ipfs-api <url>', 'IPFS HTTP API used to fetch a registry CID').env('P2PCHAT_IPFS_API').default(DEFAULT_IPFS_API).argParser(parseHttpUrl),
    new Option('--ipfs-gateway <url>', 'IPFS gateway used to fetch a registry CID (after the API)').env('P2PCHAT_IPFS_GATEWAY').argParser(parseHttpUrl)
  ]
}

/** Builds the program (exported for tests and --help). `onInvoke` receives the command that ran. */
export function buildProgram (onInvoke: (name: 'chat' | 'rooms' | 'sim', opts: Record<string, unknown>) => void = () => {}): Command {
  const program = new Command('p2pchat')
    .description('Peer-to-peer group chat over libp2p: no server, no account.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .addOption(new Option('-t, --topic <name>', 'room to join').env('P2PCHAT_TOPIC').default(DEFAULT_TOPIC).argParser(parseTopic))
    .addOption(new Option('-n, --nick <name>', 'your display name').env('P2PCHAT_NICK').default(defaultNick()).argParser(parseNick))
    .addOption(new Option('-l, --listen <multiaddr...>', 'addresses to listen on').env('P2PCHAT_LISTEN').argParser(parseListen))
    .addOption(new Option('-b, --bootstrap <multiaddr...>', 'peers to dial at start (with or without /p2p/<id>)').env('P2PCHAT_BOOTSTRAP').argParser(parseBootstrap))
    .addOption(new Option('--local-port <port>', 'well-known loopback port for zero-flag local discovery (0 = off)').env('P2PCHAT_LOCAL_PORT').default(DEFAULT_LOCAL_PORT).argParser(parsePort))
    .addOption(new Option('--mdns', 'discover peers on the LAN with multicast DNS (env: P2PCHAT_MDNS)'))
    .addOption(new Option('--public', 'join the public IPFS DHT through its bootstrap list (reaches the internet) (env: P2PCHAT_PUBLIC)'))
    .addOption(new Option('--json', 'print NDJSON events instead of text (env: P2PCHAT_JSON)'))
    .addOption(new Option('--relay', 'with --public: serve as a circuit relay for peers behind NATs (limits in README) (env: P2PCHAT_RELAY)'))
    .addOption(new Option('--upnp', 'with --public: ask the home router to map a port (UPnP / NAT-PMP) (env: P2PCHAT_UPNP)'))
    .addOption(new Option('--no-color', 'never print colour (also NO_COLOR, TERM=dumb, or output not a terminal)'))
    .addOption(new Option('--no-bell', 'do not ring the terminal bell when a line mentions your nick or a direct message arrives'))
    .addOption(new Option('--log-file <path>', 'append diagnostics to this file (DEBUG=libp2p:* writes libp2p logs to stderr)').env('P2PCHAT_LOG_FILE').argParser(parseLogFile))
    .addOption(new Option('--registry <source>', 'room registry: a YAML file, an http(s) URL or an IPFS CID').env('P2PCHAT_REGISTRY').argParser(parseRegistrySource))
    .addOption(new Option('--room <name>', 'start in this registry room (needs --registry)').env('P2PCHAT_ROOM').argParser(parseRoomName))
    .addOption(new Option('--join <invite|name>', 'start in a private room: its invite (p2pchat:room/<name>#<key>), or the name of one this profile holds').env('P2PCHAT_JOIN').argParser(parseJoin))
    .addOption(new Option('--paths <paths>', 'broadcast paths: gossipsub, raintree+gossipsub, or raintree (see README)').env('P2PCHAT_PATHS').default('gossipsub').argParser(parsePaths))
    .addOption(new Option('--reliability <key=value,...>', 'tune the reliability layer, e.g. resendBaseMs=500,lostAfterMs=60000 (see README)').env('P2PCHAT_RELIABILITY').argParser(parseReliability))
    .addOption(new Option('--data-dir <path>', 'where profiles are kept (default: the platform user data dir, e.g. ~/.local/share/p2pchat)').env('P2PCHAT_DATA_DIR'))
    .addOption(new Option('--profile <name>', 'identity and history profile inside the data dir').env('P2PCHAT_PROFILE').default('default').argParser(parseProfile))
    .addOption(new Option('--ephemeral', 'keep nothing on disk: a fresh identity, no history (env: P2PCHAT_EPHEMERAL)'))
    .addOption(new Option('--key <file>', 'import this libp2p private key (protobuf, raw or base64) into the profile').env('P2PCHAT_KEY').argParser(parseReadableFile))
    .addOption(new Option('--repair', 'move a damaged message store aside (keeping the key) and start fresh'))
    .addOption(new Option('--presence <key=value,...>', 'tune presence and census, e.g. basePeriodMs=10000 (see README)').env('P2PCHAT_PRESENCE').argParser(parsePresence))
    .addOption(new Option('--committee <key=value,...>', "tune a registry room's committee, e.g. checkpointIntervalMs=5000 (see README)").env('P2PCHAT_COMMITTEE').argParser(parseCommittee))
  for (const option of registryOptions()) program.addOption(option)
  program
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .enablePositionalOptions()
    .action((opts: Record<string, unknown>) => { onInvoke('chat', opts) })
  const rooms = program.command('rooms')
    .description('print the rooms of a registry as a table and exit')
    .addOption(new Option('--registry <source>', 'room registry: a YAML file, an http(s) URL or an IPFS CID').env('P2PCHAT_REGISTRY').argParser(parseRegistrySource).makeOptionMandatory())
    .addOption(new Option('--json', 'print the rooms as JSON (env: P2PCHAT_JSON)'))
  for (const option of registryOptions()) rooms.addOption(option)
  rooms.action((opts: Record<string, unknown>) => { onInvoke('rooms', opts) })
  program.addCommand(buildSimCommand(config => { onInvoke('sim', { config }) }))
  return program
}

/** Values a boolean environment variable may take (case-insensitive); empty counts as unset. */
export const ENV_TRUE = ['1', 'true', 'yes', 'on'] as const
export const ENV_FALSE = ['0', 'false', 'no', 'off'] as const

/**
 * A boolean flag: true when given on the command line, else the environment variable
 * `envName` read strictly (a typo must not turn network traffic on), else false.
 */
function booleanFlag (cliValue: unknown, envName: string): boolean {
  if (cliValue === true) return true
  const raw = process.env[envName]
  if (raw === undefined || raw === '') return false
  const value = raw.trim().toLowerCase()
  if ((ENV_TRUE as readonly string[]).includes(value)) return true
  if ((ENV_FALSE as readonly string[]).includes(value)) return false
  throw new UsageError(`${envName} must be one of ${[...ENV_TRUE, ...ENV_FALSE].join(', ')}, not "${raw}"`)
}

/**
 * Parses argv into an Invocation. Throws UsageError (one line) on a bad flag;
 * `--help` prints and throws CommanderError with exitCode 0.
 */
export function parseArgs (argv: string[], io: { out: (s: string) => void, err: (s: string) => void } = {
  out: s => process.stdout.write(s),
  err: s => process.stderr.write(s)
}): Invocation {
  // An empty P2PCHAT_* variable counts as unset (commander would otherwise parse "").
  for (const key of Object.keys(process.env)) if (key.startsWith('P2PCHAT_') && process.env[key] === '') delete process.env[key]
  let invoked: { name: 'chat' | 'rooms' | 'sim', opts: Record<string, unknown> } | undefined
  let sources: Record<string, string | undefined> = {}
  const program = buildProgram((name, opts) => {
    invoked = { name, opts }
    sources = { nick: program.getOptionValueSource('nick'), profile: program.getOptionValueSource('profile') }
  })
  let captured = ''
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: s => { captured += s } })
    for (const sub of cmd.commands) configure(sub)
  }
  configure(program)
  try {
    program.parse(argv)
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) throw err
    const message = (err instanceof CommanderError ? err.message : captured).split('\n')[0].replace(/^error: /, '')
    // commander wraps our reason as "option '--key <file>' argument 'x' is invalid. <reason>": one sentence instead.
    const invalid = /^option '(-\S+?)(?:, (--\S+))?(?: <[^>]*>)?' argument '[\s\S]*' is invalid\. ([\s\S]*)$/.exec(message)
    if (invalid !== null) throw new UsageError(`${invalid[2] ?? invalid[1]}: ${invalid[3]}`)
    const fromEnv = /^option '[^']*' value '[\s\S]*' from env '(\w+)' is invalid\. ([\s\S]*)$/.exec(message)
    if (fromEnv !== null) throw new UsageError(`${fromEnv[1]}: ${fromEnv[2]}`)
    throw new UsageError(message)
  }
  if (invoked === undefined) throw new UsageError('no command ran')
  if (invoked.name === 'sim') return { command: 'sim', config: invoked.opts.config as SimConfig }
  if (invoked.name === 'rooms') {
    const r = invoked.opts as { registry: string, ipfsApi: string, ipfsGateway?: string, json?: boolean }
    return { command: 'rooms', config: { registry: r.registry, ipfsApi: r.ipfsApi, ...(r.ipfsGateway !== undefined ? { ipfsGateway: r.ipfsGateway } : {}), json: booleanFlag(r.json, 'P2PCHAT_JSON') } }
  }
  const o = invoked.opts as {
    topic: string, nick: string, listen?: string[], bootstrap?: string[], localPort: number
    mdns?: boolean, public?: boolean, relay?: boolean, upnp?: boolean, json?: boolean, color: boolean, logFile?: string
    registry?: string, room?: string, join?: string, paths: Config['paths'], ipfsApi: string, ipfsGateway?: string, reliability?: Partial<ChannelOptions>, presence?: Partial<PresenceOptions>, committee?: Partial<CommitteeTuning>
    dataDir?: string, profile: string, ephemeral?: boolean, bell: boolean, key?: string, repair?: boolean
  }
  const explicit = (name: string): boolean => sources[name] === 'cli' || sources[name] === 'env'
  if (o.room !== undefined && o.registry === undefined) throw new UsageError('--room needs --registry <file|url|cid>')
  if ((booleanFlag(o.relay, 'P2PCHAT_RELAY') || booleanFlag(o.upnp, 'P2PCHAT_UPNP')) && !booleanFlag(o.public, 'P2PCHAT_PUBLIC')) throw new UsageError('--relay and --upnp need --public')
  return {
    command: 'chat',
    config: {
      topic: o.topic,
      nick: o.nick,
      listen: o.listen ?? DEFAULT_LISTEN,
      bootstrap: o.bootstrap ?? [],
      mdns: booleanFlag(o.mdns, 'P2PCHAT_MDNS'),
      public: booleanFlag(o.public, 'P2PCHAT_PUBLIC'),
      relay: booleanFlag(o.relay, 'P2PCHAT_RELAY'),
      upnp: booleanFlag(o.upnp, 'P2PCHAT_UPNP'),
      json: booleanFlag(o.json, 'P2PCHAT_JSON'),
      color: o.color !== false && !booleanFlag(undefined, 'P2PCHAT_NO_COLOR'),
      bell: o.bell !== false,
      ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
      localPort: o.localPort,
      ...(o.registry !== undefined ? { registry: o.registry } : {}),
      ...(o.room !== undefined ? { room: o.room } : {}),
      ...(o.join !== undefined ? { join: o.join } : {}),
      paths: o.paths,
      ...(o.join !== undefined && nonEmptyEnv('P2PCHAT_PASSPHRASE') !== undefined ? { passphrase: nonEmptyEnv('P2PCHAT_PASSPHRASE') as string } : {}),
      ipfsApi: o.ipfsApi,
      ...(o.ipfsGateway !== undefined ? { ipfsGateway: o.ipfsGateway } : {}),
      reliability: o.reliability ?? {},
      presence: o.presence ?? {},
      committee: o.committee ?? {},
      nickExplicit: explicit('nick'),
      ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
      profile: o.profile,
      profileExplicit: explicit('profile'),
      ephemeral: booleanFlag(o.ephemeral, 'P2PCHAT_EPHEMERAL'),
      ...(o.key !== undefined ? { keyFile: o.key } : {}),
      repair: o.repair === true
    }
  }
}

/** Parses argv for the chat command (tests); throws UsageError for any other command. */
export function parseConfig (argv: string[], io?: { out: (s: string) => void, err: (s: string) => void }): import('./config.js').Config {
  const invocation = parseArgs(argv, io)
  if (invocation.command !== 'chat') throw new UsageError(`expected the chat command, got ${invocation.command}`)
  return invocation.config
}

/** An environment variable's value, undefined when unset or empty. */
function nonEmptyEnv (name: string): string | undefined {
  const value = process.env[name]
  return value === undefined || value === '' ? undefined : value
}
