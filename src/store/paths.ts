/**
 * Where p2pchat keeps its files: the data directory (flag > `P2PCHAT_DATA_DIR` > the
 * platform's user data directory), one subdirectory per profile, and the files of a
 * profile. Pure functions: the environment, platform and home directory are arguments.
 */
import { posix, win32 } from 'node:path'
import { P2pchatError } from '../errors.js'

/** The profile used without `--profile`. */
export const DEFAULT_PROFILE = 'default'

/** Directory name under the platform's user data directory. */
export const APP_DIR_NAME = 'p2pchat'

/** Longest profile name. */
export const MAX_PROFILE_NAME_LENGTH = 64

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

/** The files of one profile. */
export interface ProfilePaths {
  /** The profile name. */
  name: string
  /** `<dataDir>/<name>`, mode 0700. */
  dir: string
  /** The Ed25519 private key (protobuf bytes), mode 0600. */
  key: string
  /** The LevelDB message store (a directory). */
  store: string
  /** The prompt's input history (JSON). */
  inputHistory: string
  /** The keys of the private rooms the profile holds (JSON), mode 0600. */
  roomKeys: string
  /** The pid of the process holding the profile (informational; the store's LOCK is the lock). */
  pid: string
}

function nonEmpty (value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

/**
 * The data directory: `flag` if given, else `P2PCHAT_DATA_DIR`, else the platform default:
 * Linux and others `$XDG_DATA_HOME/p2pchat` (when absolute) or `~/.local/share/p2pchat`;
 * macOS `~/Library/Application Support/p2pchat`; Windows `%APPDATA%\p2pchat` (or
 * `~\AppData\Roaming\p2pchat`). Empty values count as unset.
 */
export function resolveDataDir (
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  home: string,
  flag?: string
): string {
  const path = platform === 'win32' ? win32 : posix
  const explicit = nonEmpty(flag) ?? nonEmpty(env.P2PCHAT_DATA_DIR)
  if (explicit !== undefined) return path.resolve(explicit)
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA)
    return path.join(appData ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  }
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME)
  const xdg = nonEmpty(env.XDG_DATA_HOME)
  // The XDG spec says relative paths are invalid and must be ignored.
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, APP_DIR_NAME)
  return path.join(home, '.local', 'share', APP_DIR_NAME)
}

/** Checks a profile name: 1-64 of `A-Z a-z 0-9 . _ -`, starting with a letter or digit. */
export function validateProfileName (name: string): string {
  if (name.length === 0 || name.length > MAX_PROFILE_NAME_LENGTH || !PROFILE_NAME.test(name) || WINDOWS_RESERVED.test(name)) {
    throw new P2pchatError('INVALID_FLAG',
      `invalid --profile "${name.slice(0, 40)}": use 1-${MAX_PROFILE_NAME_LENGTH} letters, digits, ".", "_" or "-", starting with a letter or digit`)
  }
  return name
}

/** The files of profile `name` under `dataDir` (the name is validated). */
export function profilePaths (dataDir: string, name: string = DEFAULT_PROFILE, platform: NodeJS.Platform = process.platform): ProfilePaths {
  const path = platform === 'win32' ? win32 : posix
  const dir = path.join(dataDir, validateProfileName(name))
  return {
    name,
    dir,
    key: path.join(dir, 'key'),
    store: path.join(dir, 'store'),
    inputHistory: path.join(dir, 'input-history.json'),
    roomKeys: path.join(dir, 'private-rooms.json'),
    pid: path.join(dir, 'pid')
  }
}
