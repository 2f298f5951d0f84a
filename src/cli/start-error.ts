/**
 * What the CLI says when the chat cannot start, in one sentence of our own.
 * libp2p reports a failed listen as "Some configured addresses failed to be
 * listened on, … set `transportManager.faultTolerance` to NO_FATAL:" with the
 * addresses and errno codes on the following lines, which a one-line message
 * would cut off; here they become "cannot listen on <address>: <reason>".
 */

/** Reasons by errno code, as the OS reports a failed bind. */
const LISTEN_REASONS: ReadonlyArray<[RegExp, string]> = [
  [/EADDRNOTAVAIL/, 'this machine has no such address'],
  [/EADDRINUSE/, 'that port is already in use'],
  [/EACCES|EPERM/, 'permission denied (ports below 1024 need privileges)'],
  [/EAFNOSUPPORT|EPROTONOSUPPORT/, 'this machine does not support that address family']
]

/** The one line for an error thrown while starting the node (no "p2pchat:" prefix). */
export function startErrorText (err: unknown, oneLine: (err: unknown) => string): string {
  const message = err instanceof Error ? err.message : ''
  const name = err instanceof Error ? err.name : ''
  if (name === 'UnsupportedListenAddressesError' || /failed to be listened on/.test(message)) {
    const failures = [...message.matchAll(/^\s*(\/\S+): (.*)$/gm)].map(m => {
      const reason = LISTEN_REASONS.find(([pattern]) => pattern.test(m[2]))?.[1] ?? 'the operating system refused it'
      return `${m[1]}: ${reason}`
    })
    const what = failures.length > 0 ? failures.join('; ') : 'a --listen address: the operating system refused it'
    return `cannot listen on ${what} (check --listen; the default is /ip4/127.0.0.1/tcp/0)`
  }
  return `cannot start: ${oneLine(err)}`
}
