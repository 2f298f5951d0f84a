/**
 * Invalid registries: each is refused with one exact one-line message naming
 * the source, line and column; the RegistryProblem carries kind and position.
 */

import { describe, expect, it } from 'vitest'
import { isP2pchatError } from '../../../src/errors.js'
import { parseRegistry, registryProblemOf } from '../../../src/registry/index.js'

const PEER = '12D3KooWG4CinpUjT7Cd1bkGwbacfBqd72KUvDoy1CwGpLHkWqxr'

function yaml (...lines: string[]): string {
  return lines.join('\n') + '\n'
}

interface Case {
  name: string
  text: string
  message: string
  kind?: 'schema' | 'not-yaml'
}

const CASES: Case[] = [
  {
    name: 'YAML syntax error (unclosed flow list)',
    text: yaml('created: 1700000000', 'rooms:', '  - name: lobby', '    rendezvous: p2pchat/lobby', `    trustedPeers: [${PEER}`),
    message: 'bad.yaml:6:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    kind: 'not-yaml'
  },
  {
    name: 'YAML syntax error (duplicate key)',
    text: yaml('created: 1700000000', 'created: 1700000001', 'rooms: []'),
    message: 'bad.yaml:2:1: YAML syntax error: Map keys must be unique',
    kind: 'not-yaml'
  },
  {
    name: 'not a mapping (e.g. an HTML page)',
    text: '<html><body>Not found</body></html>\n',
    message: 'bad.yaml:1:1: not a registry: expected a YAML mapping with "created" and "rooms", got a string',
    kind: 'not-yaml'
  },
  {
    name: 'empty file',
    text: '# nothing here\n',
    message: 'bad.yaml:1:1: the registry is empty'
  },
  {
    name: 'missing rooms',
    text: yaml('created: 1700000000', 'url: https://example.org/'),
    message: 'bad.yaml:1:1: missing "rooms" (the list of rooms)'
  },
  {
    name: 'missing created',
    text: yaml('# a comment', 'rooms: []'),
    message: 'bad.yaml:2:1: missing "created" (unix seconds)'
  },
  {
    name: 'created of the wrong type',
    text: yaml('created: "yesterday"', 'rooms: []'),
    message: 'bad.yaml:1:10: created must be an integer (unix seconds), got a string'
  },
  {
    name: 'created fractional',
    text: yaml('created: 1.5', 'rooms: []'),
    message: 'bad.yaml:1:10: created must be an integer (unix seconds), got a fractional or too large number'
  },
  {
    name: 'created negative',
    text: yaml('created: -1', 'rooms: []'),
    message: 'bad.yaml:1:10: created must not be negative'
  },
  {
    name: 'top-level url not a URL',
    text: yaml('created: 1', 'url: not a url', 'rooms: []'),
    message: 'bad.yaml:2:6: url "not a url" is not a valid URL'
  },
  {
    name: 'rooms not a list',
    text: yaml('created: 1', 'rooms:', '  lobby: p2pchat/lobby'),
    message: 'bad.yaml:3:3: rooms must be a list of rooms, got a mapping'
  },
  {
    name: 'queues not a list (the alias is named in the message)',
    text: yaml('created: 1', 'queues: lobby'),
    message: 'bad.yaml:2:9: queues must be a list of rooms, got a string'
  },
  {
    name: 'both rooms and queues',
    text: yaml('created: 1', 'rooms: []', 'queues: []'),
    message: 'bad.yaml:3:1: use "rooms" or its alias "queues", not both'
  },
  {
    name: 'room that is not a mapping',
    text: yaml('created: 1', 'rooms:', '  - lobby'),
    message: 'bad.yaml:3:5: rooms[0] must be a mapping, got a string'
  },
  {
    name: 'room missing name',
    text: yaml('created: 1', 'rooms:', '  - rendezvous: p2pchat/x'),
    message: 'bad.yaml:3:5: rooms[0]: missing "name"'
  },
  {
    name: 'room name with a space',
    text: yaml('created: 1', 'rooms:', '  - name: my room', '    rendezvous: p2pchat/x'),
    message: 'bad.yaml:3:11: room "my room": name must not contain whitespace or control characters'
  },
  {
    name: 'room missing rendezvous',
    text: yaml('created: 1', 'rooms:', '  - name: lobby', '    desc: General chat'),
    message: 'bad.yaml:3:5: room "lobby": missing "rendezvous"'
  },
  {
    name: 'empty rendezvous',
    text: yaml('created: 1', 'rooms:', '  - name: lobby', '    rendezvous: p2pchat/lobby', '  - name: dev', '    desc: Development', '    rendezvous: ""'),
    message: 'bad.yaml:7:17: room "dev": rendezvous must be a non-empty string'
  },
  {
    name: 'rendezvous given as a number',
    text: yaml('created: 1', 'rooms:', '  - name: dev', '    rendezvous: 42'),
    message: 'bad.yaml:4:17: room "dev": rendezvous must be a non-empty string, got a number'
  },
  {
    name: 'desc of the wrong type',
    text: yaml('created: 1', 'rooms:', '  - name: dev', '    desc: [a, b]', '    rendezvous: p2pchat/dev'),
    message: 'bad.yaml:4:11: room "dev": desc must be a string, got a list'
  },
  {
    name: 'trustedPeers not a list',
    text: yaml('created: 1', 'rooms:', '  - name: dev', '    rendezvous: p2pchat/dev', `    trustedPeers: ${PEER}`),
    message: 'bad.yaml:5:19: room "dev": trustedPeers must be a list of peer ids, got a string'
  },
  {
    name: 'malformed peer id',
    text: yaml('created: 1', 'rooms:', '  - name: dev', '    rendezvous: p2pchat/dev', '    trustedPeers:', `      - ${PEER}`, '      - 12D3KooWnotapeerid'),
    message: 'bad.yaml:7:9: room "dev": trustedPeers[1] "12D3KooWnotapeerid" is not a valid libp2p peer id'
  },
  {
    name: 'peer id of the wrong type',
    text: yaml('created: 1', 'rooms:', '  - name: dev', '    rendezvous: p2pchat/dev', '    trustedPeers: [12345]'),
    message: 'bad.yaml:5:20: room "dev": trustedPeers[0] must be a peer id string, got a number'
  },
  {
    name: 'duplicate room name',
    text: yaml('created: 1', 'rooms:', '  - name: dev', '    rendezvous: p2pchat/dev', '  - name: dev', '    rendezvous: p2pchat/dev2'),
    message: 'bad.yaml:5:11: room "dev": duplicate name (first defined at line 3)'
  },
  {
    name: 'YAML alias',
    text: yaml('created: 1', 'rooms:', '  - &r {name: a, rendezvous: r}', '  - *r'),
    message: 'bad.yaml:4:5: YAML aliases (*name) are not allowed in a registry'
  }
]

function problemOf (text: string): { message: string, kind?: string, line?: number, column?: number, code?: string } {
  try {
    parseRegistry(text, { source: 'bad.yaml' })
  } catch (err) {
    const p = registryProblemOf(err)
    return { message: (err as Error).message, kind: p?.kind, line: p?.line, column: p?.column, code: isP2pchatError(err) ? err.code : undefined }
  }
  throw new Error('expected the registry to be refused')
}

describe('invalid registries', () => {
  it.each(CASES)('$name', ({ text, message, kind }) => {
    const got = problemOf(text)
    expect(got.message).toBe(message)
    expect(got.kind).toBe(kind ?? 'schema')
    expect(got.code).toBe('DECODE_FAILED')
    const [, line, column] = /^bad\.yaml:(\d+):(\d+): /.exec(message) ?? []
    expect([got.line, got.column]).toEqual([Number(line), Number(column)])
    expect(got.message).not.toContain('\n')
  })

  it('reports the first error and keeps the others on problem.more', () => {
    try {
      parseRegistry(yaml('created: x', 'rooms:', '  - name: a', '  - name: b', '    rendezvous: ""'), { source: 'bad.yaml' })
      expect.unreachable()
    } catch (err) {
      expect((err as Error).message).toBe('bad.yaml:1:10: created must be an integer (unix seconds), got a string')
      expect(registryProblemOf(err)?.more).toEqual([
        'bad.yaml:3:5: room "a": missing "rendezvous"',
        'bad.yaml:5:17: room "b": rendezvous must be a non-empty string'
      ])
    }
  })

  it('refuses bytes that are not UTF-8', () => {
    expect(() => parseRegistry(new Uint8Array([0x63, 0x3a, 0xff, 0xfe, 0x0a]), { source: 'bin' }))
      .toThrow('bin: not a registry: the content is not UTF-8 text')
  })
})

describe('size cap', () => {
  const valid = yaml('created: 1', 'rooms: []')

  it('accepts exactly 1 MiB', () => {
    const text = valid + '#'.repeat(1024 * 1024 - valid.length)
    expect(Buffer.byteLength(text)).toBe(1024 * 1024)
    expect(parseRegistry(text).registry.rooms).toEqual([])
  })

  it('refuses 1 MiB + 1 byte, never truncating', () => {
    const text = valid + '#'.repeat(1024 * 1024 - valid.length + 1)
    try {
      parseRegistry(text, { source: 'big.yaml' })
      expect.unreachable()
    } catch (err) {
      expect((err as Error).message).toBe('big.yaml: registry is larger than the limit of 1 MiB (1048577 bytes); refusing it')
      expect(registryProblemOf(err)?.kind).toBe('too-large')
    }
  })
})
