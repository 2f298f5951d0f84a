/**
 * The program's entry: parse flags into a Config, start a live session, run
 * the UI until the user quits, and stop cleanly (also on SIGTERM). Usage
 * errors exit 2 with one line; start-up failures exit 1 with one line.
 */

import { CommanderError } from 'commander'
import type { LiveSession } from '../session/session.js'
import type { Registry } from '../registry/index.js'
import type { Logger } from './logger.js'
import { runSim } from './sim-command.js'
import { parseArgs, UsageError } from './program.js'
import type { Config, RoomsConfig } from './config.js'
import type { OpenedProfile } from './open-profile.js'
import { startErrorText } from './start-error.js'
import type { CommitteeTuning } from './validate.js'
import type { ConsensusOptions } from '../consensus/index.js'
import type { DecisionTiming } from '../room/decisions.js'

// Everything heavy (libp2p, protobufjs, the store, the UI) is imported only when a
// command needs it, so `--help`, `--version` and usage errors answer at once.

/** Stored lines of the room printed as history at start. */
const HISTORY_ON_START = 20

/** How long a piped session waits at end of input for its lines to reach a peer (ms). */
const DRAIN_ON_EOF_MS = 10_000

/** Runs p2pchat for `argv` (process.argv form). Resolves with the exit code it also sets. */
export async function main (argv: string[]): Promise<number> {
  // `p2pchat --help | head`: a reader that stops early is not an error (the commands below handle their own output).
  const onPipeClosed = (err: NodeJS.ErrnoException): void => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0) }
  process.stdout.on('error', onPipeClosed)
  let invocation
  try {
    invocation = parseArgs(argv)
  } catch (err) {
    if (err instanceof CommanderError) return finish(err.exitCode)
    process.stderr.write(`p2pchat: ${(err as Error).message}\n`)
    return finish(err instanceof UsageError ? err.exitCode : 2)
  }
  process.stdout.off('error', onPipeClosed)
  if (invocation.command === 'rooms') return finish(await listRooms(invocation.config))
  if (invocation.command === 'sim') return finish(await runSim(invocation.config))
  return finish(await chat(invocation.config))
}

/** `p2pchat rooms`: print a registry's rooms and exit. */
async function listRooms (config: RoomsConfig): Promise<number> {
  const { loadRegistry, roomsTable } = await import('../registry/index.js')
  const { oneLine } = await import('../session/errors.js')
  try {
    const { registry, warnings } = await loadRegistry(config.registry, { ipfsApi: config.ipfsApi, ipfsGateway: config.ipfsGateway })
    for (const w of warnings) process.stderr.write(`p2pchat: warning: ${w.text}\n`)
    if (config.json) process.stdout.write(JSON.stringify({ type: 'rooms', rooms: registry.rooms }) + '\n')
    else process.stdout.write(roomsTable(registry.rooms).join('\n') + '\n')
    return 0
  } catch (err) {
    process.stderr.write(`p2pchat: ${oneLine(err)}\n`)
    return 1
  }
}

/** Loads the registry named by the config, if any; warnings go to stderr. */
async function registryFor (config: Config, logger: Logger): Promise<Registry | undefined> {
  if (config.registry === undefined) return undefined
  const { loadRegistry } = await import('../registry/index.js')
  const { registry, warnings } = await loadRegistry(config.registry, { ipfsApi: config.ipfsApi, ipfsGateway: config.ipfsGateway })
  for (const w of warnings) {
    process.stderr.write(`p2pchat: warning: ${w.text}\n`)
    logger.log(`registry warning: ${w.text}`)
  }
  return registry
}

/** The chat itself. */
async function chat (config: Config): Promise<number> {
  // The session and UI modules (libp2p and all) load while the profile's store opens.
  const sessionModules = Promise.all([import('../session/session.js'), import('../ui/index.js')])
  sessionModules.catch(() => {}) // awaited below; an early return must not leave it unhandled
  const [{ createLogger }, { oneLine }, { openChatProfile }] = await Promise.all([
    import('./logger.js'), import('../session/errors.js'), import('./open-profile.js')
  ])
  const logger = createLogger(config.logFile)
  let registry: Registry | undefined
  try {
    registry = await registryFor(config, logger)
  } catch (err) {
    process.stderr.write(`p2pchat: ${oneLine(err)}\n`)
    await logger.close()
    return 1
  }
  let opened: OpenedProfile
  try {
    opened = await openChatProfile(config, logger.log)
  } catch (err) {
    process.stderr.write(`p2pchat: ${oneLine(err)}\n`)
    await logger.close()
    return 1
  }
  const { profile } = opened
  if (opened.fallbackFrom !== undefined) {
    process.stderr.write(`p2pchat: profile "${opened.fallbackFrom}" is in use by another terminal; using profile "${profile.name}"\n`)
  }
  // A nick given by flag (or environment) becomes the profile's: the next start without one uses it.
  if (config.nickExplicit) await profile.store.setNick(config.nick).catch(() => {})
  const storedNick = config.nickExplicit ? undefined : await profile.store.getNick().catch(() => undefined)
  const [{ LiveSession }, { runUi, shouldUseColor }] = await sessionModules
  let session: LiveSession
  try {
    session = await LiveSession.start({
      topic: config.topic,
      nick: storedNick ?? config.nick,
      listen: config.listen,
      bootstrap: config.bootstrap,
      mdns: config.mdns,
      public: config.public,
      relay: config.relay,
      upnp: config.upnp,
      localPort: config.localPort,
      privateKey: profile.privateKey,
      datastore: profile.datastore,
      store: profile.store,
      ...(opened.dataDir !== undefined ? { dataDir: opened.dataDir } : {}),
      ...(registry !== undefined ? { registry } : {}),
      ...(config.room !== undefined ? { registryRoom: config.room } : {}),
      ...(config.join !== undefined ? { join: config.join } : {}),
      ...(config.passphrase !== undefined ? { passphrase: config.passphrase } : {}),
      roomKeys: profile.roomKeys,
      room: { paths: config.paths, channel: config.reliability, presence: config.presence, ...committeeRoomOptions(config.committee) },
      log: logger.log
    })
  } catch (err) {
    process.stderr.write(`p2pchat: ${startErrorText(err, oneLine)}\n`)
    await profile.close().catch(() => {})
    await logger.close()
    return 1
  }
  logger.log(`started ${session.peerId} on ${session.identity().addresses.join(' ')} in room ${session.topic}`)

  const quit = new AbortController()
  const onSigterm = (): void => { quit.abort() }
  process.once('SIGTERM', onSigterm)
  process.once('SIGHUP', onSigterm)

  const color = !config.json && shouldUseColor({ isTTY: process.stdout.isTTY === true, env: process.env, noColorFlag: !config.color })
  let code = 0
  let terminalGone = false
  try {
    const inputHistory = [...await profile.inputHistory.load().catch(() => [])].reverse()
    const result = await runUi(session, {
      json: config.json,
      color,
      bell: config.bell,
      signal: quit.signal,
      replayHistory: HISTORY_ON_START,
      announcePrivateRoom: true,
      inputHistory,
      onInputHistory: lines => { profile.inputHistory.save([...lines].reverse()).catch(() => {}) }
    })
    if (result.reason === 'eof') await session.drain(DRAIN_ON_EOF_MS)
    terminalGone = result.terminalGone === true
  } catch (err) {
    process.stderr.write(`p2pchat: ${oneLine(err)}\n`)
    code = 1
  } finally {
    process.removeListener('SIGTERM', onSigterm)
    process.removeListener('SIGHUP', onSigterm)
    await session.stop().catch(err => { logger.log(`stop failed: ${oneLine(err)}`) })
    await profile.close().catch(err => { logger.log(`closing the profile failed: ${oneLine(err)}`) })
    await logger.close()
  }
  // The window was closed after a clean quit: Node's exit would restore the terminal's mode on a
  // terminal that is gone and abort on the EIO (nodejs/node#51519), so end without that step.
  if (terminalGone) process.kill(process.pid, 'SIGKILL')
  return code
}

function finish (code: number): number {
  process.exitCode = code
  // libp2p may leave handles (timers, sockets) for a moment; do not let them hold the process.
  setTimeout(() => process.exit(code), 500).unref()
  return code
}

/** `--committee` tuning as room options: Raft timers for a member, the rest for the decisions. */
function committeeRoomOptions (tuning: Partial<CommitteeTuning>): { consensus: Partial<ConsensusOptions>, decisions: Partial<DecisionTiming> } {
  const { electionTimeoutMs, heartbeatIntervalMs, ...decisions } = tuning
  return {
    consensus: { ...(electionTimeoutMs === undefined ? {} : { electionTimeoutMs }), ...(heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs }) },
    decisions
  }
}
