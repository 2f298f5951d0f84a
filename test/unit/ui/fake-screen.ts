/**
 * A tiny terminal emulator for tests: enough of xterm (deferred autowrap,
 * scrolling, CSI A/B/C/D/G/H/J/K, ESC 7/8, `\n` as CR LF like a tty with
 * ONLCR) to replay what the UI wrote and look at the screen it leaves.
 * One column per code point.
 */

export class FakeScreen {
  private grid: string[][]
  private row = 0
  private col = 0
  /** The cursor sits past the last column; the next character wraps first. */
  private wrapPending = false
  private saved = { row: 0, col: 0, wrapPending: false }

  constructor (readonly columns: number, readonly rows: number) {
    this.grid = Array.from({ length: rows }, () => this.blank())
  }

  /** Replays `text` as written to the terminal. */
  feed (text: string): void {
    // eslint-disable-next-line no-control-regex
    const tokens = text.match(/\x1b\[[0-9;]*[A-Za-z]|\x1b[78]|[\s\S]/gu) ?? []
    for (const token of tokens) this.apply(token)
  }

  /** The screen's rows, trailing blanks trimmed. */
  lines (): string[] {
    return this.grid.map(r => r.join('').trimEnd())
  }

  private blank (): string[] { return Array.from({ length: this.columns }, () => ' ') }

  private lineFeed (): void {
    if (this.row === this.rows - 1) {
      this.grid.shift()
      this.grid.push(this.blank())
    } else {
      this.row++
    }
  }

  private apply (token: string): void {
    if (token === '\x1b7') { this.saved = { row: this.row, col: this.col, wrapPending: this.wrapPending }; return }
    if (token === '\x1b8') { ({ row: this.row, col: this.col, wrapPending: this.wrapPending } = this.saved); return }
    if (token.startsWith('\x1b[')) { this.csi(token); return }
    if (token === '\r') { this.col = 0; this.wrapPending = false; return }
    if (token === '\n') { this.col = 0; this.wrapPending = false; this.lineFeed(); return }
    if (this.wrapPending) { this.col = 0; this.wrapPending = false; this.lineFeed() }
    this.grid[this.row][this.col] = token
    if (this.col === this.columns - 1) this.wrapPending = true
    else this.col++
  }

  private csi (token: string): void {
    const final = token.at(-1)
    const args = token.slice(2, -1).split(';').map(a => (a === '' ? undefined : Number(a)))
    const n = args[0] ?? 1
    this.wrapPending = false
    switch (final) {
      case 'A': this.row = Math.max(0, this.row - n); break
      case 'B': this.row = Math.min(this.rows - 1, this.row + n); break
      case 'C': this.col = Math.min(this.columns - 1, this.col + n); break
      case 'D': this.col = Math.max(0, this.col - n); break
      case 'G': this.col = Math.min(this.columns - 1, n - 1); break
      case 'H': this.row = Math.min(this.rows - 1, n - 1); this.col = Math.min(this.columns - 1, (args[1] ?? 1) - 1); break
      case 'K': {
        const from = (args[0] ?? 0) === 0 ? this.col : 0
        const to = (args[0] ?? 0) === 1 ? this.col + 1 : this.columns
        for (let c = from; c < to; c++) this.grid[this.row][c] = ' '
        break
      }
      case 'J':
        for (let c = this.col; c < this.columns; c++) this.grid[this.row][c] = ' '
        for (let r = this.row + 1; r < this.rows; r++) this.grid[r] = this.blank()
        break
      default: break // colours and the like do not move anything
    }
  }
}
