/**
 * Start-up as a new user meets it (issue 20), measured from the outside:
 *  1. a fresh `git clone` of this repository's HEAD and `npm install` in it (its duration and
 *     every warning line it prints);
 *  2. the first `npx p2pchat --topic x` there, under a pseudo-terminal, from spawn to the
 *     prompt on screen; then later starts, by `npx` and by `node bin/p2pchat.js`;
 *  3. the resident memory of npm's `npm exec` wrapper beside the chat;
 *  4. `--help` and `--version` by `node` and by `npx`, against `node -e 0`.
 * The clone and its npx cache entry are removed at the end. The chat processes run with an
 * isolated local port and a temporary data dir; they listen on loopback only.
 */

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { freePort } from '../src/sim/free-port.js'
import { packageFile } from '../src/sim/package-path.js'
import { summarize, ms, type Summary } from './stats.js'

/** Starts of each kind after the first. */
const LATER_STARTS = 5
/** Runs of each `--help` / `--version` variant. */
const QUICK_RUNS = 7
/** Longest wait for a prompt (ms). */
const PROMPT_TIMEOUT_MS = 60_000

/** Runs `command` in `cwd` to completion; returns its wall time (ms), exit code and output. */
function timed (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { ms: number, code: number | null, stdout: string, stderr: string } {
  const t0 = performance.now()
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  return { ms: performance.now() - t0, code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Quotes a word for `sh -c`. */
function sh (word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** Resident set size of `pid` in bytes, from /proc (0 when gone). */
function rssOf (pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m === null ? 0 : Number(m[1]) * 1024
  } catch { return 0 }
}

/** Every descendant of `pid` with its command line. */
function descendants (pid: number): Array<{ pid: number, cmd: string }> {
  const out: Array<{ pid: number, cmd: string }> = []
  const walk = (p: number): void => {
    let children: number[] = []
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        children.push(...readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(s => s.length > 0).map(Number))
      }
    } catch { children = [] }
    for (const c of children) {
      let cmd = ''
      try { cmd = readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0').join(' ').trim() } catch {}
      out.push({ pid: c, cmd })
      walk(c)
    }
  }
  walk(pid)
  return out
}

interface PromptRun { ms: number, wrapperRss?: number, chatRss?: number }

/**
 * Runs `commandLine` under a pseudo-terminal (util-linux `script`) in `cwd` and resolves with
 * the time from spawn to the prompt `[topic · ` on screen, and the memory of the processes then.
 */
async function timeToPrompt (commandLine: string, cwd: string, topic: string): Promise<PromptRun> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'p2pchat-bench-start-'))
  const t0 = performance.now()
  const child = spawn('script', ['-qfec', commandLine, '/dev/null'], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TERM: 'xterm-256color', COLUMNS: '100', LINES: '30', P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_DATA_DIR: dataDir, P2PCHAT_NICK: 'bench', NO_COLOR: '1' }
  })
  let screen = ''
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  try {
    const at = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no prompt within ${PROMPT_TIMEOUT_MS} ms from "${commandLine}"; screen: ${screen.slice(-300)}`)) }, PROMPT_TIMEOUT_MS)
      const onData = (chunk: Buffer): void => {
        screen += chunk.toString('utf8')
        if (screen.includes(`[${topic} · `)) { clearTimeout(timer); resolve(performance.now()) }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('exit', () => { clearTimeout(timer); reject(new Error(`"${commandLine}" exited before its prompt; screen: ${screen.slice(-300)}`)) })
    })
    const procs = descendants(child.pid ?? 0)
    const wrapper = procs.find(p => /\bnpm(-cli\.js)?\b.*\bexec\b|npx-cli\.js|\bnpx\b/.test(p.cmd) && !p.cmd.includes('p2pchat.js'))
    // The chat itself: node running bin/p2pchat.js, or npx's link to it in node_modules/.bin.
    const chat = procs.find(p => p !== wrapper && /^\S*node\S*\s+\S*(bin\/p2pchat\.js|\.bin\/p2pchat)(\s|$)/.test(p.cmd))
    const run: PromptRun = { ms: at - t0 }
    if (wrapper !== undefined) run.wrapperRss = rssOf(wrapper.pid)
    if (chat !== undefined) run.chatRss = rssOf(chat.pid)
    return run
  } finally {
    child.stdin.write('/quit\r')
    const kill = setTimeout(() => { child.kill('SIGKILL') }, 10_000)
    await exited
    clearTimeout(kill)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Removes the npx cache entries that link to `dir` (the clone's own package). */
function removeNpxEntries (dir: string): void {
  const cache = join(homedir(), '.npm', '_npx')
  if (!existsSync(cache)) return
  for (const entry of readdirSync(cache)) {
    const link = join(cache, entry, 'node_modules', 'p2pchat')
    try {
      if (resolve(dirname(link), readlinkSync(link)) === dir) rmSync(join(cache, entry), { recursive: true, force: true })
    } catch {}
  }
}

function mib (bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`
}

function line (label: string, s: Summary): string {
  return `  ${label.padEnd(34)} n=${s.n}  median ${ms(s.median)}  p90 ${ms(s.p90)}  max ${ms(s.max)}`
}

/** Runs the benchmark and returns its report lines and figures. */
export async function runStartup (): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const root = dirname(packageFile('package.json'))
  const work = mkdtempSync(join(tmpdir(), 'p2pchat-bench-clone-'))
  const clone = join(work, 'p2pchat')
  const lines: string[] = []
  try {
    const commit = timed('git', ['rev-parse', '--short', 'HEAD'], root).stdout.trim()
    if (timed('git', ['clone', '--quiet', root, clone], root).code !== 0) throw new Error(`git clone ${root} failed`)
    const install = timed('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], clone)
    if (install.code !== 0) throw new Error(`npm install failed: ${install.stderr.split('\n').slice(-5).join(' ')}`)
    const warnings = (install.stdout + install.stderr).split('\n').filter(l => /\bwarn\b/i.test(l))

    const topic = `bench-start-${process.pid}`
    const first = await timeToPrompt(`npx p2pchat --topic ${topic}`, clone, topic)
    const laterNpx: PromptRun[] = []
    const laterNode: PromptRun[] = []
    for (let i = 0; i < LATER_STARTS; i++) {
      laterNpx.push(await timeToPrompt(`npx p2pchat --topic ${topic}`, clone, topic))
      laterNode.push(await timeToPrompt(`${sh(process.execPath)} bin/p2pchat.js --topic ${topic}`, clone, topic))
    }

    const quick = (args: string[]): Summary => summarize(Array.from({ length: QUICK_RUNS }, () => {
      const r = timed(args[0], args.slice(1), clone)
      if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${String(r.code)}`)
      return r.ms
    }))
    const baseline = quick([process.execPath, '-e', '0'])
    const nodeHelp = quick([process.execPath, 'bin/p2pchat.js', '--help'])
    const nodeVersion = quick([process.execPath, 'bin/p2pchat.js', '--version'])
    const npxHelp = quick(['npx', 'p2pchat', '--help'])
    const npxVersion = quick(['npx', 'p2pchat', '--version'])

    const laterNpxStats = summarize(laterNpx.map(r => r.ms))
    const laterNodeStats = summarize(laterNode.map(r => r.ms))
    lines.push(
      `start-up: a fresh clone of ${commit}, ${LATER_STARTS} later starts of each kind, prompts under a pseudo-terminal`,
      `  npm install (fresh clone)          ${ms(install.ms)}, ${warnings.length} warning line(s)${warnings.length > 0 ? ': ' + warnings.slice(0, 3).join(' | ') : ''}`,
      `  first npx p2pchat --topic x        ${ms(first.ms)} to the prompt  (target: <= 2000 ms)`,
      line('later npx p2pchat --topic x', laterNpxStats),
      line('later node bin/p2pchat.js', laterNodeStats),
      `  memory at the prompt               chat ${mib(first.chatRss)}, npm exec wrapper ${mib(first.wrapperRss)} (npx only)`,
      line('node -e 0 (baseline)', baseline),
      line('node bin/p2pchat.js --help', nodeHelp) + '  (target: <= 300 ms)',
      line('node bin/p2pchat.js --version', nodeVersion) + '  (target: <= 300 ms)',
      line('npx p2pchat --help', npxHelp),
      line('npx p2pchat --version', npxVersion)
    )
    return {
      lines,
      figures: {
        commit,
        installMs: install.ms,
        installWarnings: warnings,
        firstNpxMs: first.ms,
        laterNpx: laterNpxStats,
        laterNode: laterNodeStats,
        chatRss: first.chatRss,
        wrapperRss: first.wrapperRss,
        baseline,
        nodeHelp,
        nodeVersion,
        npxHelp,
        npxVersion
      }
    }
  } finally {
    removeNpxEntries(clone)
    rmSync(work, { recursive: true, force: true })
  }
}
