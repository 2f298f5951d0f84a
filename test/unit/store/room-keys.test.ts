/**
 * The private-room keys of a profile: kept in `private-rooms.json` with mode 0600, read back
 * after a restart, the newest key of a name current; a file others can read, or a damaged one,
 * is refused with one line and left as it is.
 */
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileRoomKeys, memoryRoomKeys } from '../../../src/store/index.js'

const KEY_A = new Uint8Array(32).fill(1)
const KEY_B = new Uint8Array(32).fill(2)

async function dir (): Promise<string> { return await mkdtemp(join(tmpdir(), 'p2pchat-keys-')) }

describe('private-room keys in the profile', () => {
  it('are written with mode 0600 and read back; the newest key of a name is current', async () => {
    const path = join(await dir(), 'private-rooms.json')
    const keys = await fileRoomKeys(path)
    expect(keys.current('team')).toBeUndefined()
    await keys.put('team', KEY_A, 1000)
    await keys.put('team', KEY_B, 2000)
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600)
    const again = await fileRoomKeys(path)
    expect(again.current('team')?.key).toEqual(KEY_B)
    expect(again.list().map(k => k.addedAt)).toEqual([1000, 2000])
    // Holding an older key again makes it current, without a second copy.
    await again.put('team', KEY_A, 3000)
    expect(again.current('team')?.key).toEqual(KEY_A)
    expect((await fileRoomKeys(path)).list()).toHaveLength(2)
  })

  it('refuses a file group or others can read, and a damaged one, in one line, leaving it as it is', async () => {
    if (process.platform === 'win32') return
    const path = join(await dir(), 'private-rooms.json')
    await (await fileRoomKeys(path)).put('team', KEY_A, 1)
    await chmod(path, 0o644)
    await expect(fileRoomKeys(path)).rejects.toThrow(/accessible by group or others.*chmod 600/)
    await chmod(path, 0o600)
    await writeFile(path, '{"version": 1, "rooms": [{"name": "team", "key": "short", "addedAt": 1}]}')
    await expect(fileRoomKeys(path)).rejects.toThrow(/private-room keys file .* is damaged \(the key of room "team" is not (32 bytes|base64url)\)/)
    await writeFile(path, 'not json')
    await expect(fileRoomKeys(path)).rejects.toThrow(/damaged \(not JSON\)/)
    expect(await readFile(path, 'utf8')).toBe('not json')
  })

  it('--ephemeral keeps them in memory only', async () => {
    const keys = memoryRoomKeys()
    await keys.put('team', KEY_A, 1)
    expect(keys.current('team')?.key).toEqual(KEY_A)
  })
})

describe('the prompt history and secrets', () => {
  it('never writes a /join with a passphrase to disk; an invite /join and other lines are kept', async () => {
    const { fileInputHistory } = await import('../../../src/store/input-history.js')
    const path = join(await dir(), 'input-history.json')
    const history = fileInputHistory(path)
    await history.save(['hello', '/join team correct horse battery staple', '/join p2pchat:room/team#abc', '/join x'])
    expect(await history.load()).toEqual(['hello', '/join p2pchat:room/team#abc', '/join x'])
    expect(await readFile(path, 'utf8')).not.toContain('horse')
  })
})
