/**
 * Headless Chromium (Debian's `chromium` package) driven over the DevTools
 * protocol on a pipe (`--remote-debugging-pipe`: fd 3 in, fd 4 out, messages
 * ended by NUL), so no port is opened. The machine's network is closed and the
 * tests stay offline: background networking, component updates, sync and QUIC are
 * off, and every run gets a new empty profile directory.
 */

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { pathToFileURL } from 'node:url'

/** Where Debian's package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium'

/** A page's layout as the browser laid it out. */
export interface Layout { scrollWidth: number, innerWidth: number, rightmost: number }

interface Reply { id?: number, result?: Record<string, unknown>, error?: { message: string }, method?: string, sessionId?: string }

/** A running headless browser. */
export class Chromium {
  private readonly child: ChildProcess
  private readonly profile: string
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void, reject: (e: Error) => void }>()
  private readonly listeners: Array<(msg: Reply) => void> = []

  constructor () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`)
    this.profile = mkdtempSync(join(tmpdir(), 'p2pchat-chromium-'))
    this.child = spawn(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-extensions', '--disable-default-apps', '--hide-scrollbars',
      `--user-data-dir=${this.profile}`, '--remote-debugging-pipe', 'about:blank'
    ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] })
    let buffer = ''
    const out = this.child.stdio[4] as Readable
    out.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      let end: number
      while ((end = buffer.indexOf('\0')) >= 0) {
        const msg = JSON.parse(buffer.slice(0, end)) as Reply
        buffer = buffer.slice(end + 1)
        if (msg.id !== undefined) {
          const waiter = this.pending.get(msg.id)
          this.pending.delete(msg.id)
          if (msg.error !== undefined) waiter?.reject(new Error(msg.error.message))
          else waiter?.resolve(msg.result ?? {})
        } else {
          for (const l of [...this.listeners]) l(msg)
        }
      }
    })
    this.child.once('exit', () => {
      for (const w of this.pending.values()) w.reject(new Error('chromium exited'))
      this.pending.clear()
    })
  }

  /** Sends one DevTools command and resolves with its result. */
  async send (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => { this.pending.set(id, { resolve, reject }) })
    ;(this.child.stdio[3] as Writable).write(JSON.stringify({ id, method, params, ...(sessionId !== undefined ? { sessionId } : {}) }) + '\0')
    return await reply
  }

  /** Resolves with the first event `method` (of `sessionId`) after the call. */
  private async event (method: string, sessionId: string): Promise<void> {
    await new Promise<void>(resolve => {
      const l = (msg: Reply): void => {
        if (msg.method !== method || msg.sessionId !== sessionId) return
        this.listeners.splice(this.listeners.indexOf(l), 1)
        resolve()
      }
      this.listeners.push(l)
    })
  }

  /**
   * Opens `file` in a new tab with a viewport `width` CSS pixels wide and returns its
   * layout: the document's scroll width, the window's inner width, and the right edge
   * of the rightmost element (anything past `innerWidth` is off-screen).
   */
  async layout (file: string, width: number, height = 900): Promise<Layout> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' }) as { targetId: string }
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true }) as { sessionId: string }
    try {
      await this.send('Page.enable', {}, sessionId)
      await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId)
      const loaded = this.event('Page.loadEventFired', sessionId)
      await this.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId)
      await loaded
      const expression = `JSON.stringify({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        rightmost: Math.max(0, ...[...document.querySelectorAll('body *')].map(e => e.getBoundingClientRect().right))
      })`
      const { result } = await this.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId) as { result: { value: string } }
      return JSON.parse(result.value) as Layout
    } finally {
      await this.send('Target.closeTarget', { targetId }).catch(() => {})
    }
  }

  /** Closes the browser and removes its profile. */
  async close (): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise(resolve => this.child.once('exit', resolve))
      await this.send('Browser.close').catch(() => {})
      const kill = setTimeout(() => { this.child.kill('SIGKILL') }, 5000)
      await exited
      clearTimeout(kill)
    }
    rmSync(this.profile, { recursive: true, force: true })
  }
}
