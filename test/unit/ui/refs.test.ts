import { describe, expect, it } from 'vitest'
import { isPeerId, peerDirectory, resolvePeer } from '../../../src/ui/peer-ref.js'
import { resolveMessage, shortMessageId } from '../../../src/ui/message-ref.js'
import { ALICE, BOB, chatLine } from './fake-session.js'

const BOB2 = '12D3KooWBobTwoBobTwoBobTwoBobTwoBobTwoBobTwoBobTwo9abc'
const CAROL = '12D3KooWCaroCaroCaroCaroCaroCaroCaroCaroCaroCaroCar1111'

describe('resolvePeer', () => {
  const known = peerDirectory([{ peerId: ALICE, nick: 'alice' }, { peerId: BOB, nick: 'bob' }, { peerId: CAROL, nick: 'Carol' }])

  it('takes a full peer id as is, known or not', () => {
    expect(isPeerId(BOB)).toBe(true)
    expect(isPeerId('bob')).toBe(false)
    expect(resolvePeer(BOB2, known, ALICE)).toBe(BOB2)
  })

  it('finds a nick in any case', () => {
    expect(resolvePeer('BOB', known, ALICE)).toBe(BOB)
    expect(resolvePeer('carol', known, ALICE)).toBe(CAROL)
  })

  it('refuses a nick two peers use, listing them, and takes nick#tag', () => {
    const twins = peerDirectory([...known].map(([peerId, nick]) => ({ peerId, nick })).concat([{ peerId: BOB2, nick: 'Bob' }]))
    expect(() => resolvePeer('bob', twins, ALICE)).toThrow('"bob" is 2 peers: bob#5678 (12D3…5678), Bob#9abc (12D3…9abc); name one as nick#tag, or by its full peer id')
    expect(resolvePeer('bob#9abc', twins, ALICE)).toBe(BOB2)
    expect(resolvePeer('Bob#5678', twins, ALICE)).toBe(BOB)
  })

  it('says when a nick is only you, or nobody', () => {
    expect(() => resolvePeer('alice', known, ALICE)).toThrow('"alice" is you')
    expect(() => resolvePeer('dave', known, ALICE)).toThrow('no peer called "dave" in the roster or the stored lines; give its full peer id')
  })

  it('a later source with a nick wins; an empty nick never overrides', () => {
    const dir = peerDirectory([{ peerId: BOB, nick: 'bob' }, { peerId: BOB, nick: 'robert' }, { peerId: BOB, nick: '' }, { peerId: CAROL }])
    expect(dir.get(BOB)).toBe('robert')
    expect(dir.get(CAROL)).toBe('')
  })
})

describe('resolveMessage', () => {
  const id = (head: string): string => head.padEnd(32, '0')
  const lines = [
    chatLine({ id: id('3f9a1c2e'), text: 'deploy done' }),
    chatLine({ id: id('3f9a77'), text: 'deploy again' }),
    chatLine({ id: id('beef'), from: CAROL, nick: 'carol', text: 'lunch?' }),
    chatLine({ id: id('c0ffee'), text: 'last from bob' })
  ]
  const candidates = lines.map(line => ({ id: line.id, line }))
  const notFound = 'none such'

  it('shows ids as # and 8 characters', () => {
    expect(shortMessageId(id('3f9a1c2e'))).toBe('#3f9a1c2e')
  })

  it('takes a unique id prefix of 4 or more hex characters, with or without #, any case', () => {
    expect(resolveMessage('3f9a1', candidates, notFound)).toBe(id('3f9a1c2e'))
    expect(resolveMessage('#BEEF', candidates, notFound)).toBe(id('beef'))
  })

  it('lists the messages an ambiguous prefix fits', () => {
    expect(() => resolveMessage('3f9a', candidates, notFound)).toThrow('"3f9a" fits 2 messages: #3f9a1c2e bob "deploy done", #3f9a7700 bob "deploy again"; give more of the id')
  })

  it('takes a full id no candidate has', () => {
    expect(resolveMessage(id('abcd'), candidates, notFound)).toBe(id('abcd'))
  })

  it('takes a nick for its last line; a hex-looking nick too when no id fits', () => {
    expect(resolveMessage('Bob', candidates, notFound)).toBe(id('c0ffee'))
    expect(resolveMessage('carol', candidates, notFound)).toBe(id('beef'))
    const cafe = [...candidates, { id: id('1234'), line: chatLine({ id: id('1234'), nick: 'cafe', from: CAROL }) }]
    expect(resolveMessage('cafe', cafe, notFound)).toBe(id('1234'))
    expect(() => resolveMessage('#cafe', cafe, notFound)).toThrow(notFound)
  })

  it('refuses a nick two peers use, and names neither', () => {
    const twins = [...candidates, { id: id('dd'), line: chatLine({ id: id('dd'), from: BOB2, nick: 'bob', text: 'other bob' }) }]
    expect(() => resolveMessage('bob', twins, notFound)).toThrow('"bob" is 2 peers, whose last lines are #c0ffee00 bob "last from bob", #dd000000 bob "other bob"; give the message id')
    expect(resolveMessage('bob#9abc', twins, notFound)).toBe(id('dd'))
    expect(() => resolveMessage('nobody', candidates, notFound)).toThrow(notFound)
  })

  it('matches pins with no stored line by id only', () => {
    expect(resolveMessage('abab', [{ id: id('abab') }], notFound)).toBe(id('abab'))
    expect(() => resolveMessage('bob', [{ id: id('abab') }], notFound)).toThrow(notFound)
  })
})
