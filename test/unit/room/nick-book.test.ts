/** Two people with one nick are told apart by a tag from their peer ids. */
import { describe, expect, it } from 'vitest'
import { NickBook, nickTagOf } from '../../../src/room/nick-book.js'
import { RoomDriver } from '../../../src/room/index.js'
import type { ChatLine } from '../../../src/room/index.js'

describe('NickBook', () => {
  it('tags a nick only while another peer uses it (in any case), and forgets a peer\'s old nick', () => {
    const book = new NickBook('me')
    book.see('peer-aaaa', 'bob')
    expect(book.tagFor('peer-aaaa', 'bob')).toBeUndefined()
    book.see('peer-bbbb', 'Bob')
    expect(book.tagFor('peer-aaaa', 'bob')).toBe('aaaa')
    expect(book.tagFor('peer-bbbb', 'Bob')).toBe('bbbb')
    book.see('peer-bbbb', 'robert')
    expect(book.tagFor('peer-aaaa', 'bob')).toBeUndefined()
    expect(book.othersNamed('robert')).toEqual(['peer-bbbb'])
    book.see('me', 'robert')
    expect(book.othersNamed('robert')).toEqual(['peer-bbbb'])
    expect(book.tagFor('peer-bbbb', 'robert')).toBe('bbbb')
    expect(nickTagOf('12D3KooWxyzY3H8')).toBe('Y3H8')
  })

  it('is bounded: the least recently seen peer is forgotten', () => {
    const book = new NickBook('me', 2)
    book.see('p1', 'bob')
    book.see('p2', 'bob')
    book.see('p3', 'carol')
    expect(book.nickOf('p1')).toBeUndefined()
    expect(book.tagFor('p2', 'bob')).toBeUndefined()
  })
})

describe('lines of two peers with one nick', () => {
  it('carry each sender\'s tag; a line of a nick nobody else uses carries none', () => {
    const make = (id: string, nick: string): RoomDriver => {
      const d = new RoomDriver(id, 'twins', { nick, announcePresence: false, presence: { peerIdToBytes: p => new TextEncoder().encode(p) } })
      d.start(0)
      return d
    }
    const me = make('me-0000', 'alice')
    const bob1 = make('bob-1111', 'bob')
    const bob2 = make('bob-2222', 'bob')
    const lines = (): ChatLine[] => me.ready().events.flatMap(e => e.type === 'message' ? [e.detail] : [])
    me.receive(bob1.send('first bob', false, 10), 20)
    expect(lines().map(l => l.nickTag)).toEqual([undefined])
    me.receive(bob2.send('second bob', false, 30), 40)
    me.receive(bob1.send('first again', false, 50), 60)
    expect(lines().map(l => [l.text, l.nickTag])).toEqual([['second bob', '2222'], ['first again', '1111']])
    // Our own nick counts: a peer calling itself alice is tagged on our screen.
    const fake = make('fak-3333', 'alice')
    me.receive(fake.send('I am alice', false, 70), 80)
    expect(lines().map(l => l.nickTag)).toEqual(['3333'])
  })
})
