import { describe, expect, it } from 'vitest'
import { dayChangeText, localDay, mentions } from '../../../src/ui/mention.js'
import { createTextRenderer } from '../../../src/ui/render-text.js'
import { createStyler } from '../../../src/ui/style.js'
import { runUi } from '../../../src/ui/run.js'
import { Collector, FakeSession, FakeTtyInput, at, chatLine, waitFor } from './fake-session.js'

describe('mentions', () => {
  it('finds the nick as a whole word in any case, not inside another word', () => {
    for (const text of ['alice: hi', 'hi @alice', 'ALICE, look', 'thanks alice!', 'alice']) expect(mentions(text, 'alice'), text).toBe(true)
    for (const text of ['malice', 'alice_bot here', 'alices', 'hi bob']) expect(mentions(text, 'alice'), text).toBe(false)
    expect(mentions('ping ünal!', 'Ünal')).toBe(true)
    expect(mentions('anything', '')).toBe(false)
  })
})

describe('day-change lines', () => {
  const now = (): number => at(12, 0) // 2024-01-02, a Tuesday
  const next = (h: number, m: number): number => at(h, m) + 24 * 3600_000

  it('name the weekday and the date', () => {
    expect(localDay(at(0, 5))).toBe('2024-01-02')
    expect(dayChangeText(at(0, 5))).toBe('Day changed to Tuesday 2024-01-02')
  })

  it('come before the first live line of a new day, once', () => {
    let clock = at(23, 59)
    const r = createTextRenderer(createStyler(false), () => clock)
    expect(r.message(chatLine({ receivedAt: at(23, 59), text: 'late' }))).toEqual(['23:59 <bob> late'])
    clock = next(0, 1)
    expect(r.message(chatLine({ receivedAt: next(0, 1), text: 'early' }))).toEqual(['00:01 -!- Day changed to Wednesday 2024-01-03', '00:01 <bob> early'])
    clock = next(0, 2)
    expect(r.message(chatLine({ receivedAt: next(0, 2), text: 'again' }))).toEqual(['00:02 <bob> again'])
    // Caught up today, sent yesterday: it carries its date.
    expect(r.message(chatLine({ sentAt: at(23, 58), receivedAt: next(0, 2), text: 'old' }))).toEqual(['2024-01-02 23:58 <bob> old (arrived 00:02)'])
  })

  it('separate the days of /history, starting with the first line when it is not today', () => {
    const r = createTextRenderer(createStyler(false), () => next(12, 0))
    const lines = r.history([chatLine({ receivedAt: at(9, 0), text: 'a' }), chatLine({ receivedAt: at(10, 0), text: 'b' }), chatLine({ receivedAt: next(9, 0), text: 'c' })], 20)
    expect(lines.slice(1, -1)).toEqual([
      '09:00 -!- Day changed to Tuesday 2024-01-02',
      '09:00 ~ <bob> a',
      '10:00 ~ <bob> b',
      '09:00 -!- Day changed to Wednesday 2024-01-03',
      '09:00 ~ <bob> c'
    ])
  })
})

describe('highlight and bell on a mention', () => {
  it('highlights the line of someone naming you: sender inverse, text bold yellow', () => {
    const r = createTextRenderer(createStyler(true), () => at(12, 0), { ownNick: () => 'alice' })
    const [line] = r.message(chatLine({ receivedAt: at(12, 0), text: 'alice: lunch?' }))
    expect(line).toContain('\x1b[7m') // inverse sender
    expect(line).toContain('\x1b[1m\x1b[33malice: lunch?\x1b[39m\x1b[22m')
    const [plain] = r.message(chatLine({ receivedAt: at(12, 0), text: 'no one here' }))
    expect(plain).not.toContain('\x1b[7m')
  })

  it('rings the bell once per repaint with a live mention, not for history, own lines or with bell off', async () => {
    for (const bell of [true, false]) {
      const session = new FakeSession()
      const input = new FakeTtyInput()
      const output = new Collector(true)
      const done = runUi(session, { input, output, color: false, now: () => at(12, 0), forceExit: () => {}, bell })
      await waitFor(() => output.text.includes('alice> '), 'prompt')
      session.emit('message', chatLine({ id: 'h', text: 'alice from history', history: true }))
      session.emit('message', chatLine({ id: 'o', text: 'me, alice', own: true, from: 'x', nick: 'alice' }))
      session.emit('message', chatLine({ id: 'n', text: 'nothing for you' }))
      await waitFor(() => output.text.includes('nothing for you'), 'lines')
      expect(output.text).not.toContain('\x07')
      session.emit('message', chatLine({ id: 'm1', text: 'hey Alice' }))
      session.emit('message', chatLine({ id: 'm2', text: 'alice?' }))
      await waitFor(() => output.text.includes('alice?'), 'mentions')
      expect(output.text.split('\x07').length - 1).toBe(bell ? 1 : 0)
      input.write('\x04')
      await done
    }
  })
})

