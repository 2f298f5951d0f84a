/**
 * Property tests over many seeded model networks: eventual exactly-once delivery,
 * causal delivery on every peer, and identical canonical order, under loss,
 * duplication, reordering, partitions and crash/restart.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkAll, checkCausality, checkExactlyOnce } from '../../../src/sim/invariants.js'
import { ModelNetwork } from '../../../src/sim/model-network.js'

interface Plan { seed: number, nodes: number, sends: Array<{ at: number, from: number }> }

const planArb = (maxNodes: number, maxSends: number, window: number): fc.Arbitrary<Plan> => fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  nodes: fc.integer({ min: 3, max: maxNodes }),
  sends: fc.array(fc.record({ at: fc.integer({ min: 0, max: window }), from: fc.nat() }), { minLength: Math.min(10, maxSends), maxLength: maxSends, size: 'max' })
})

function schedule (net: ModelNetwork, plan: Plan, canSend: (id: string) => boolean = () => true): void {
  plan.sends.forEach((s, i) => net.at(s.at, () => {
    const candidates = net.ids.filter(canSend)
    net.send(candidates[s.from % candidates.length], `m${i}`)
  }))
}

describe('properties of the reliability core on a model network', () => {
  it('30% loss with duplication and reordering: everyone delivers everything exactly once, causally, in one order', () => {
    fc.assert(fc.property(planArb(7, 60, 20_000), fc.double({ min: 0.05, max: 0.3 }), (plan, dup) => {
      const net = new ModelNetwork({ seed: plan.seed, nodes: plan.nodes, dropRate: 0.3, duplicateRate: dup, reorderRate: 0.3, jitterMs: 40 })
      schedule(net, plan)
      net.runFor(20_000)
      const done = net.runUntilTrue(() => net.allDelivered(), 15 * 60_000)
      expect(checkAll(net)).toEqual([])
      expect(done).toBe(true)
    }), { seed: 1, numRuns: 100 })
  })

  it('a 50/50 partition that heals: both halves converge to the same history', () => {
    fc.assert(fc.property(
      planArb(8, 60, 60_000),
      fc.integer({ min: 0, max: 20_000 }),
      fc.integer({ min: 5_000, max: 120_000 }),
      (plan, start, duration) => {
        const net = new ModelNetwork({ seed: plan.seed, nodes: plan.nodes, dropRate: 0.1, duplicateRate: 0.1, reorderRate: 0.2 })
        const half = Math.floor(plan.nodes / 2)
        net.at(start, () => net.partition([net.ids.slice(0, half), net.ids.slice(half)]))
        net.at(start + duration, () => net.heal())
        schedule(net, plan)
        net.runFor(Math.max(60_000, start + duration))
        const done = net.runUntilTrue(() => net.allDelivered(), 20 * 60_000)
        expect(checkAll(net)).toEqual([])
        expect(done).toBe(true)
      }
    ), { seed: 2, numRuns: 60 })
  })

  it('crash and restart: survivors agree on everything; the restarted peer gets all that follows', () => {
    fc.assert(fc.property(
      planArb(6, 40, 40_000),
      fc.integer({ min: 1_000, max: 30_000 }),
      fc.integer({ min: 1_000, max: 60_000 }),
      (plan, crashAt, downFor) => {
        const net = new ModelNetwork({ seed: plan.seed, nodes: plan.nodes, dropRate: 0.2, duplicateRate: 0.1, reorderRate: 0.2 })
        const victim = net.ids[plan.seed % plan.nodes]
        net.at(crashAt, () => net.crash(victim))
        net.at(crashAt + downFor, () => net.restart(victim))
        schedule(net, plan, (id) => net.node(id).alive)
        net.runFor(Math.max(40_000, crashAt + downFor) + 1_000)
        const restartedAt = crashAt + downFor
        const survivors = net.all().filter((n) => n.id !== victim)
        const required = [...net.sent.values()]
          .filter((s) => s.sender !== victim || s.incarnation > 0)
          .map((s) => s.message.messageId)
        const afterRestart = [...net.sent.values()].filter((s) => s.at >= restartedAt).map((s) => s.message.messageId)
        const converged = (): boolean => {
          const counts = new Set(survivors.map((n) => n.deliveredCount))
          return counts.size === 1 &&
            survivors.every((n) => checkExactlyOnce(n, required).length === 0) &&
            checkExactlyOnce(net.node(victim), afterRestart).length === 0
        }
        const done = net.runUntilTrue(converged, 15 * 60_000)
        const problems: string[] = []
        const reference = new Set(survivors[0].delivered.map((e) => e.message.messageId))
        for (const node of survivors) {
          problems.push(...checkExactlyOnce(node, [...reference, ...required]), ...checkCausality(node))
          if (node.deliveredCount !== reference.size) problems.push(`${node.id} disagrees`)
        }
        const restarted = net.node(victim)
        problems.push(...checkExactlyOnce(restarted, afterRestart), ...checkCausality(restarted))
        for (const e of restarted.delivered) {
          if (!reference.has(e.message.messageId)) problems.push(`${victim} delivered unknown ${e.message.messageId}`)
        }
        expect(problems).toEqual([])
        expect(done).toBe(true)
      }
    ), { seed: 3, numRuns: 60 })
  })
})
