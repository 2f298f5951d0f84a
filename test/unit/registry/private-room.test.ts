/**
 * A registry room can be marked `private: true` (a YAML boolean); anything else there is an
 * error with its position.
 */
import { describe, expect, it } from 'vitest'
import { parseRegistry } from '../../../src/registry/index.js'

const yaml = (...lines: string[]): string => lines.join('\n') + '\n'

describe('private registry rooms', () => {
  it('reads private: true, and leaves the flag off otherwise', () => {
    const { registry } = parseRegistry(yaml('created: 1', 'rooms:', '  - name: team', '    rendezvous: p2pchat/team', '    private: true', '  - name: open', '    rendezvous: p2pchat/open', '    private: false'), { source: 'r.yaml' })
    expect(registry.rooms.map(r => [r.name, r.private])).toEqual([['team', true], ['open', undefined]])
  })

  it('refuses a private that is not a boolean', () => {
    expect(() => parseRegistry(yaml('created: 1', 'rooms:', '  - name: team', '    rendezvous: p2pchat/team', '    private: "yes"'), { source: 'r.yaml' }))
      .toThrow(/r\.yaml:5:14: room "team": private must be true or false/)
  })
})
