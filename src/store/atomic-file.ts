/**
 * Atomic file replacement: write a temporary file in the same directory (created with
 * the final mode, so the content is never readable by others even for a moment),
 * fsync it, rename it over the target, then fsync the directory. A crash leaves
 * either the old file or the new one, never a torn one (at worst a stray temp file).
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Writes `data` to `path` atomically with file mode `mode`. */
export async function writeFileAtomic (path: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  const handle = await open(temp, 'wx', mode)
  try {
    // The umask may have removed bits; set exactly the mode asked for.
    if (process.platform !== 'win32') await handle.chmod(mode)
    await handle.writeFile(data)
    await handle.sync()
  } catch (err) {
    await handle.close().catch(() => {})
    await rm(temp, { force: true })
    throw err
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  await syncDirectory(dirname(path))
}

/** fsyncs a directory so a rename in it is durable (a no-op where unsupported). */
export async function syncDirectory (dir: string): Promise<void> {
  if (process.platform === 'win32') return
  try {
    const handle = await open(dir, 'r')
    try { await handle.sync() } finally { await handle.close() }
  } catch {}
}
