import { describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { profilePaths, resolveDataDir, validateProfileName } from '../../../src/store/index.js'

describe('resolveDataDir', () => {
  it('flag > P2PCHAT_DATA_DIR > platform default; empty counts as unset', () => {
    expect(resolveDataDir({ P2PCHAT_DATA_DIR: '/env/dir' }, 'linux', '/home/u', '/flag/dir')).toBe('/flag/dir')
    expect(resolveDataDir({ P2PCHAT_DATA_DIR: '/env/dir' }, 'linux', '/home/u')).toBe('/env/dir')
    expect(resolveDataDir({ P2PCHAT_DATA_DIR: '' }, 'linux', '/home/u', '')).toBe('/home/u/.local/share/p2pchat')
  })

  it('Linux: $XDG_DATA_HOME/p2pchat when absolute, else ~/.local/share/p2pchat', () => {
    expect(resolveDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/p2pchat')
    expect(resolveDataDir({ XDG_DATA_HOME: 'relative/xdg' }, 'linux', '/home/u')).toBe('/home/u/.local/share/p2pchat')
    expect(resolveDataDir({}, 'freebsd', '/home/u')).toBe('/home/u/.local/share/p2pchat')
  })

  it('macOS and Windows', () => {
    expect(resolveDataDir({ XDG_DATA_HOME: '/xdg' }, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/p2pchat')
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\p2pchat')
    expect(resolveDataDir({}, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\p2pchat')
  })
})

describe('profiles', () => {
  it('accepts sensible names and refuses paths, dots, spaces and reserved names', () => {
    for (const ok of ['default', 'work', 'alice-2', 'a.b_c', 'X'.repeat(64)]) expect(validateProfileName(ok)).toBe(ok)
    for (const bad of ['', '.', '..', '../x', 'a/b', 'a\\b', ' x', 'x y', '-x', '.hidden', 'X'.repeat(65), 'con', 'NUL.txt', 'é']) {
      let error: unknown
      try { validateProfileName(bad) } catch (err) { error = err }
      expect(isP2pchatError(error, 'INVALID_FLAG'), bad).toBe(true)
    }
  })

  it('lays out a profile directory', () => {
    expect(profilePaths('/data', 'work', 'linux')).toEqual({
      name: 'work',
      dir: '/data/work',
      key: '/data/work/key',
      store: '/data/work/store',
      inputHistory: '/data/work/input-history.json',
      roomKeys: '/data/work/private-rooms.json',
      pid: '/data/work/pid'
    })
    expect(profilePaths('/data').dir).toBe('/data/default')
  })
})
