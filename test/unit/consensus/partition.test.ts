/**
 * A partitioned committee in the model (seeded, virtual time): the minority side makes no
 * progress and never commits, whatever it is asked; the majority side elects and commits; after
 * the heal there is one history, on every member.
 */
import { describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { Cluster } from './cluster.js'

const commandsOf = (cluster: Cluster, id: string): string[] => cluster.member(id).app.commands.map(([, text]) => text)

const MEMBERS = ['a', 'b', 'c', 'd', 'e']

describe('a partitioned committee', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: the minority never commits, the majority does, and the heal gives one history`, () => {
      const cluster = new Cluster({ seed, members: MEMBERS, latency: [1, 5] })
      expect(cluster.runUntil(() => cluster.leader() !== undefined, 10_000)).toBe(true)
      const first = cluster.leader()?.id as string
      cluster.propose(first, 'before')
      cluster.advance(500)
      // The old leader and one other on the small side.
      const minority = [first, MEMBERS.find(m => m !== first) as string]
      const majority = MEMBERS.filter(m => !minority.includes(m))
      cluster.network.partition([minority, majority])
      const minorityCommit = Math.max(...minority.map(m => cluster.member(m).status.commit))
      // The minority keeps being asked; anything it appends must never commit.
      for (let i = 0; i < 20; i++) {
        for (const m of minority) {
          try { cluster.propose(m, `minority-${i}`) } catch (err) { if (!isP2pchatError(err, 'NOT_LEADER')) throw err }
        }
        cluster.advance(250)
      }
      for (const m of minority) expect(cluster.member(m).status.commit).toBe(minorityCommit)
      const newLeader = cluster.leader()
      expect(newLeader !== undefined && majority.includes(newLeader.id)).toBe(true)
      cluster.propose(newLeader?.id as string, 'majority')
      expect(cluster.runUntil(() => majority.every(m => commandsOf(cluster, m).includes('majority')), 5_000)).toBe(true)
      cluster.network.heal()
      cluster.propose(cluster.leader()?.id as string, 'after-heal')
      expect(cluster.runUntil(() => MEMBERS.every(m => commandsOf(cluster, m).includes('after-heal')), 10_000)).toBe(true)
      const histories = MEMBERS.map(m => commandsOf(cluster, m).join(','))
      expect(new Set(histories).size).toBe(1)
      expect(histories[0]).not.toMatch(/minority-/)
      expect(commandsOf(cluster, first)).toEqual(['before', 'majority', 'after-heal'])
    })
  }
})
