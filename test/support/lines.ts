/**
 * Splits a child process's output into lines as it arrives: complete lines go to `sink`
 * (and `onLines` is called after each chunk); a partial line waits for its end.
 */
export function lineCollector (sink: string[], onLines: () => void = () => {}): (chunk: Buffer) => void {
  let partial = ''
  return (chunk: Buffer): void => {
    partial += chunk.toString('utf8')
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    sink.push(...parts)
    onLines()
  }
}
