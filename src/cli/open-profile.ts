/**
 * Opens the profile a chat runs with: resolves the data directory, repairs a
 * damaged store when asked, and, when the profile was not named explicitly and
 * the default one is held by another terminal, falls back to `default-2`,
 * `default-3`, … so that several terminals on one machine still just work.
 */

import { homedir } from 'node:os'
import { isP2pchatError } from '../errors.js'
import { openProfile, profilePaths, repairStore, resolveDataDir, type Profile } from '../store/index.js'
import type { Config } from './config.js'

/** How many numbered fallback profiles are tried before giving up. */
const MAX_FALLBACK_PROFILES = 16

/** The profile and where it lives. */
export interface OpenedProfile {
  profile: Profile
  dataDir?: string
  /** Set when a fallback profile was used instead of the requested one. */
  fallbackFrom?: string
}

/** Opens the configured profile (see the module comment for the fallback rule). */
export async function openChatProfile (config: Config, log: (line: string) => void): Promise<OpenedProfile> {
  if (config.ephemeral) {
    const profile = await openProfile({ ephemeral: true, ...(config.keyFile !== undefined ? { keyFile: config.keyFile } : {}), store: { log } })
    return { profile }
  }
  const dataDir = resolveDataDir(process.env, process.platform, homedir(), config.dataDir)
  const names = config.profileExplicit
    ? [config.profile]
    : [config.profile, ...Array.from({ length: MAX_FALLBACK_PROFILES }, (_, i) => `${config.profile}-${i + 2}`)]
  for (const [i, name] of names.entries()) {
    if (config.repair) {
      const movedTo = await repairStore(profilePaths(dataDir, name).dir).catch(() => undefined)
      if (movedTo !== undefined) process.stderr.write(`p2pchat: moved the damaged store of profile "${name}" to ${movedTo}; starting fresh (your key is kept)\n`)
    }
    try {
      const profile = await openProfile({ dataDir, profile: name, ...(config.keyFile !== undefined ? { keyFile: config.keyFile } : {}), store: { log } })
      return { profile, dataDir: profilePaths(dataDir, name).dir, ...(i > 0 ? { fallbackFrom: config.profile } : {}) }
    } catch (err) {
      if (!isP2pchatError(err, 'PROFILE_IN_USE') || i === names.length - 1) throw err
      log(`profile "${name}" is in use; trying the next one`)
    }
  }
  throw new Error('unreachable')
}
