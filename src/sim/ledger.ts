/**
 * The delivery ledger: what every node's UI layer actually received, when, and
 * in what order, for every message of a run. From it come the delivery ratio,
 * losses, duplicates shown to the UI, causal-order violations and propagation
 * times. Memory is two typed arrays of `messages` entries per node, so a
 * 10,000-node model run fits.
 *
 * Causal order: message i delivered at node n is out of order when one of its
 * dependencies (the ids its sender named) was delivered at n after it, or never,
 * unless the delivery declared that dependency lost (an announced gap, even if the
 * dependency arrives later) or the dependency was sent before this node incarnation
 * started and never came (a late joiner's bounded catch-up).
 */

/** A node incarnation's deliveries, in order. */
interface Incarnation {
  startedAt: number
  /** Delivery sequence number of each message in this incarnation, -1 if not delivered. */
  position: Int32Array
  order: number[]
  /** Dependencies excused per delivered message (declared lost). */
  excused: Map<number, Set<number>>
}

/** Totals the ledger computes at the end. */
export interface LedgerTotals {
  /** (node, message) pairs that should have been delivered. */
  expected: number
  /** Of those, delivered. */
  delivered: number
  /** Deliveries to a UI of a message it had already shown (same incarnation). */
  duplicatesToUi: number
  /** Deliveries made before one of their dependencies (see the module comment). */
  causalViolations: number
  /** Messages that some expected node never delivered. */
  messagesNotEverywhere: number
  /** Deliveries of messages sent before the receiving node joined (catch-up; not in `expected`). */
  catchUp: number
  /** Deliveries released with an announced gap (a dependency declared lost). */
  gapped: number
}

/** Records sends and deliveries of one run. */
export class DeliveryLedger {
  /** First delivery time per node and message (NaN = never), ms after the first send. */
  readonly firstAt: Float64Array[]
  readonly sentAt: Float64Array
  readonly sender: Int32Array
  private readonly deps: Array<number[] | undefined>
  private readonly current: Incarnation[]
  private readonly joinedAt: number[]
  private readonly up: boolean[]
  private duplicates = 0
  private violations = 0
  private deliveredCount = 0
  private gapped = 0

  constructor (readonly nodes: number, readonly messages: number, joinAt: number[]) {
    this.firstAt = Array.from({ length: nodes }, () => new Float64Array(messages).fill(Number.NaN))
    this.sentAt = new Float64Array(messages).fill(Number.NaN)
    this.sender = new Int32Array(messages).fill(-1)
    this.deps = new Array(messages)
    // Nodes present from the start expect everything, even a send stamped a hair before t = 0.
    this.joinedAt = joinAt.map(at => at <= 0 ? Number.NEGATIVE_INFINITY : at)
    this.up = joinAt.map(at => at <= 0)
    this.current = joinAt.map(at => this.incarnation(at))
  }

  /** Messages whose send has been recorded. */
  get sentCount (): number {
    let n = 0
    for (let i = 0; i < this.messages; i++) if (!Number.isNaN(this.sentAt[i])) n++
    return n
  }

  /** Deliveries recorded so far (first deliveries, all nodes). */
  get deliveries (): number {
    return this.deliveredCount
  }

  /** Message `index` was sent by `sender` at `at`, naming `deps` (message indices) as its causal history. */
  sent (index: number, sender: number, at: number, deps: number[]): void {
    this.sentAt[index] = at
    this.sender[index] = sender
    this.deps[index] = deps
  }

  /** The causal history (message indices) of message `index`. */
  depsOf (index: number): readonly number[] {
    return this.deps[index] ?? []
  }

  /** Sets the causal history of message `index` when it becomes known after `sent`. */
  setDeps (index: number, deps: number[]): void {
    this.deps[index] = deps
  }

  /** Node `node` (re)starts at `at` with a fresh UI and state. */
  started (node: number, at: number): void {
    this.settle(node)
    this.current[node] = this.incarnation(at)
    this.up[node] = true
  }

  /** Node `node` went down. */
  stopped (node: number): void {
    this.up[node] = false
  }

  /** Node `node`'s UI received message `index` at `at`; `gaps` are dependencies it declared lost. */
  delivered (node: number, index: number, at: number, gaps?: number[]): void {
    const inc = this.current[node]
    if (inc.position[index] >= 0) { this.duplicates++; return }
    inc.position[index] = inc.order.length
    inc.order.push(index)
    if (gaps !== undefined && gaps.length > 0) {
      inc.excused.set(index, new Set(gaps))
      this.gapped++
    }
    if (Number.isNaN(this.firstAt[node][index])) {
      this.firstAt[node][index] = at
      this.deliveredCount++
    }
  }

  /** True when node `node` is expected to deliver message `index`. */
  expects (node: number, index: number): boolean {
    const at = this.sentAt[index]
    return this.up[node] && this.sender[index] !== node && !Number.isNaN(at) && this.joinedAt[node] <= at
  }

  /** How many expected pairs are delivered so far, and how many are expected. */
  progress (): { delivered: number, expected: number } {
    let delivered = 0
    let expected = 0
    for (let n = 0; n < this.nodes; n++) {
      const first = this.firstAt[n]
      for (let i = 0; i < this.messages; i++) {
        if (!this.expects(n, i)) continue
        expected++
        if (!Number.isNaN(first[i])) delivered++
      }
    }
    return { delivered, expected }
  }

  /** Finishes the causal checks and returns the totals. */
  totals (): LedgerTotals {
    for (let n = 0; n < this.nodes; n++) this.settle(n)
    let expected = 0
    let delivered = 0
    let catchUp = 0
    let notEverywhere = 0
    for (let i = 0; i < this.messages; i++) {
      let missed = false
      for (let n = 0; n < this.nodes; n++) {
        const got = !Number.isNaN(this.firstAt[n][i])
        if (this.expects(n, i)) {
          expected++
          if (got) delivered++
          else missed = true
        } else if (got && this.sender[i] !== n) {
          catchUp++
        }
      }
      if (missed) notEverywhere++
    }
    return { expected, delivered, duplicatesToUi: this.duplicates, causalViolations: this.violations, messagesNotEverywhere: notEverywhere, catchUp, gapped: this.gapped }
  }

  private incarnation (startedAt: number): Incarnation {
    return { startedAt, position: new Int32Array(this.messages).fill(-1), order: [], excused: new Map() }
  }

  /** Checks the causal order of a node's current incarnation and clears it. */
  private settle (node: number): void {
    const inc = this.current[node]
    for (const index of inc.order) {
      const deps = this.deps[index]
      if (deps === undefined) continue
      const at = inc.position[index]
      const excused = inc.excused.get(index)
      for (const dep of deps) {
        const depAt = inc.position[dep]
        if (depAt >= 0 && depAt < at) continue
        // A dependency the delivery declared lost is an announced gap, even if it arrives later.
        if (excused?.has(dep) === true) continue
        if (depAt < 0 && (this.sentAt[dep] < inc.startedAt || this.sender[dep] === -1)) continue
        this.violations++
        break
      }
    }
    inc.order = []
    inc.excused.clear()
    inc.position.fill(-1)
  }
}
