/**
 * Thin synchronous wrappers over `ip` and `iptables` for the simulated internet. Every command
 * names the namespace it acts in; nothing here touches the host's own network namespace except
 * creating and deleting the named namespaces themselves.
 */

import { execFileSync, spawnSync } from 'node:child_process'

/** Runs `ip <args>`; throws with the command and its stderr on failure. */
export function ip (...args: string[]): string {
  return run('ip', args)
}

/** Runs `cmd args` inside namespace `ns`. */
export function inNs (ns: string, cmd: string, ...args: string[]): string {
  return run('ip', ['netns', 'exec', ns, cmd, ...args])
}

/** Runs a command; returns stdout, throws a one-line error with stderr on failure. */
export function run (cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 })
  } catch (err) {
    const e = err as { stderr?: string, message: string }
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed: ${(e.stderr ?? e.message).trim()}`)
  }
}

/** Names of the network namespaces that exist now. */
export function listNamespaces (): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 10_000 })
  return (out.stdout ?? '').split('\n').map(l => l.split(' ')[0]).filter(n => n !== '')
}

/** Process ids running inside namespace `ns` (empty when it is gone). */
export function pidsIn (ns: string): number[] {
  const out = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 10_000 })
  return (out.stdout ?? '').split('\n').map(Number).filter(n => Number.isInteger(n) && n > 0)
}

/**
 * Why namespaces cannot be used here, or undefined when they can: creates and deletes one
 * throwaway namespace, and checks that `iptables` exists.
 */
export function namespaceProblem (probeName: string): string | undefined {
  try {
    ip('netns', 'add', probeName)
    try {
      inNs(probeName, 'iptables', '-t', 'nat', '-L', '-n')
    } finally {
      ip('netns', 'delete', probeName)
    }
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}
