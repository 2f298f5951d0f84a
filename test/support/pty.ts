/**
 * Runs the real CLI under a pseudo-terminal for end-to-end tests where the TTY
 * matters (prompt, wrapping, resize, bell). util-linux `script` allocates the
 * pty (it is in every Debian install: bsdutils is essential); the window size is
 * set with `stty` inside it, and changed from outside with `stty -F <pty>`, which
 * makes the kernel send SIGWINCH to the chat like a terminal window resize does.
 */

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { tempDataDir } from './cli.js'
import { waitFor } from './wait.js'

const BIN = fileURLToPath(new URL('../../bin/p2pchat.js', import.meta.url))

/** A CLI process on a pseudo-terminal. */
export interface PtyProcess {
  child: ChildProcessWithoutNullStreams
  /** Everything the terminal received so far, escape sequences included. */
  output: () => string
  /** Types `text` (use `\r` for Enter). */
  type: (text: string) => void
  /** Waits until `predicate(output)` holds; the error names `what` and shows the output's tail. */
  waitFor: (predicate: (output: string) => boolean, what: string, timeoutMs?: number) => Promise<void>
  /** Sets the terminal's size, as resizing the window would (the chat gets SIGWINCH). */
  resize: (columns: number, rows: number) => void
  /** Resolves with the exit code of `script` (the chat's). */
  exited: Promise<number | null>
}

function quote (word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** The pid of the descendant of `pid` running bin/p2pchat.js, if any yet. */
function chatPid (pid: number): number | undefined {
  const stack = [pid]
  while (stack.length > 0) {
    const p = stack.pop() as number
    let children: number[] = []
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        children.push(...readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(s => s !== '').map(Number))
      }
    } catch { children = [] }
    for (const c of children) {
      try { if (readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('p2pchat.js')) return c } catch {}
      stack.push(c)
    }
  }
  return undefined
}

/** Starts `p2pchat ...args` on a `columns` x `rows` pseudo-terminal, with its own data dir unless `env` names one. */
export function spawnPty (args: string[], env: Record<string, string> = {}, size = { columns: 80, rows: 24 }): PtyProcess {
  const command = `stty cols ${size.columns} rows ${size.rows}; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: '', P2PCHAT_NICK: '', P2PCHAT_PROFILE: '', P2PCHAT_DATA_DIR: tempDataDir(), ...env }
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stdin.on('error', () => {})
  const exited = new Promise<number | null>(resolve => { child.once('exit', code => { resolve(code) }) })
  return {
    child,
    output: () => output,
    type: text => { child.stdin.write(text) },
    waitFor: async (predicate, what, timeoutMs = 30_000) => {
      try {
        await waitFor(() => predicate(output), what, timeoutMs)
      } catch (err) {
        throw new Error(`${(err as Error).message}; terminal output (tail): ${JSON.stringify(output.slice(-1500))}`)
      }
    },
    resize: (columns, rows) => {
      const pid = chatPid(child.pid ?? 0)
      if (pid === undefined) throw new Error('the chat process is not running under the pty')
      const tty = readlinkSync(`/proc/${pid}/fd/0`)
      execFileSync('stty', ['-F', tty, 'cols', String(columns), 'rows', String(rows)])
    },
    exited
  }
}
