import { describe, expect, it } from 'vitest'
import { helpLines, identityLines, peersTable, statusLines } from '../../../src/ui/tables.js'
import { COMMANDS } from '../../../src/ui/commands.js'
import { ALICE, BOB } from './fake-session.js'
import type { PeerRow } from '../../../src/session/types.js'

const rows: PeerRow[] = [
  { peerId: BOB, nick: 'bob', address: '/ip4/10.0.0.2/tcp/4001', direction: 'outbound', link: 'direct', latencyMs: 12.4, inTopic: true },
  { peerId: ALICE, address: '/ip6/::1/tcp/40123', direction: 'inbound', link: 'direct', inTopic: false },
  { peerId: '12D3KooWCarolCarolCarolCarolxyz9', nick: 'caroline_the_long', address: '/dns4/example.com/tcp/443/wss', direction: 'inbound', link: 'relayed', latencyMs: 250, inTopic: true }
]

describe('peersTable', () => {
  it('says so when empty', () => {
    expect(peersTable([])).toEqual(['no peers connected'])
  })

  it('lays out a header and aligned columns', () => {
    const lines = peersTable(rows)
    expect(lines).toEqual([
      'PEER       NICK               ADDRESS                        DIR  LINK     PING    TOPIC',
      '12D3…5678  bob                /ip4/10.0.0.2/tcp/4001         out  direct   12 ms   yes',
      '12D3…1234  —                  /ip6/::1/tcp/40123             in   direct   —       no',
      '12D3…xyz9  caroline_the_long  /dns4/example.com/tcp/443/wss  in   relayed  250 ms  yes'
    ])
  })

  it('starts every column at the same offset on every line', () => {
    const lines = peersTable(rows)
    for (const header of ['NICK', 'ADDRESS', 'DIR', 'LINK', 'PING', 'TOPIC']) {
      const col = lines[0].indexOf(header)
      for (const line of lines.slice(1)) {
        expect(line[col - 1]).toBe(' ')
        expect(line[col]).not.toBe(' ')
      }
    }
  })

  it('neutralises remote nicks', () => {
    const [, row] = peersTable([{ ...rows[0], nick: 'b\x1b[2Job' }])
    // eslint-disable-next-line no-control-regex
    expect(row).not.toMatch(/\x1b/)
  })
})

describe('command output', () => {
  it('statusLines lists every counter', () => {
    const lines = statusLines({
      topic: 'x', peerId: ALICE, topicPeers: 4, connections: 5, lamport: 99, unacknowledged: 1, buffered: 2, missing: 3, lost: 4, pullsServed: 6, pullsMade: 7,
      resends: { total: 5, tail: 2 }, syncs: { sent: 9, acks: 4, behindAnswers: 1 },
      probes: { direct: 60, indirect: 3, suspects: 1, deaths: 0, localHealth: 0, suspected: 1, refutations: 2 },
      noStream: 1, gossipStreams: { moved: 2, reopened: 3, keptPeers: 0 }, dropped: { forged: 2, decode: 0 }
    })
    expect(lines).toContain('topic           x')
    expect(lines).toContain('topic peers     4')
    expect(lines).toContain('pulls           6 served, 7 made')
    expect(lines).toContain('dropped         forged 2')
    expect(lines).toContain('resends         5 (2 quiet-tail pushes)')
    expect(lines).toContain('syncs           9 sent (4 acknowledging a quiet room, 1 answering a peer behind)')
    expect(lines).toContain('no stream       1 topic peers (gossip streams moved 2, re-opened 3)')
    expect(lines).toContain('probes          60 direct, 3 through others; 1 suspicions, 0 confirmed gone; 1 suspected now; 2 refuted; health 0')
  })

  it('shows a subscribed peer we have no stream to as "no stream", never as in the topic', () => {
    const lines = peersTable([{ peerId: BOB, address: '/ip4/10.0.0.2/tcp/4001', direction: 'outbound', link: 'direct', inTopic: false, noStream: true }])
    expect(lines[1]).toMatch(/ no stream$/)
  })

  it('identityLines shows the id and every address', () => {
    expect(identityLines({ peerId: ALICE, addresses: ['/ip4/1.2.3.4/tcp/1/p2p/x', '/ip4/5.6.7.8/tcp/1/p2p/x'] })).toEqual([
      `peer id  ${ALICE}`,
      'address  /ip4/1.2.3.4/tcp/1/p2p/x',
      'address  /ip4/5.6.7.8/tcp/1/p2p/x'
    ])
  })

  it('helpLines mentions every command and alias', () => {
    const text = helpLines().join('\n')
    for (const c of COMMANDS) {
      expect(text).toContain(`/${c.name}`)
      for (const a of c.aliases) expect(text).toContain(`/${a}`)
    }
    expect(text).toContain('/connect <multiaddr>')
    expect(text).toContain('//')
  })
})
