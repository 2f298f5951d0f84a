/**
 * Writes the wire-protocol test vectors (test/vectors/*.json) from the real code, the same
 * bytes every run: fixed Ed25519 seeds, a fixed clock, the seeded PRNGs of the core and the
 * presence module. After a deliberate wire change run
 * `P2PCHAT_WRITE_VECTORS=1 npx vitest run test/unit/wire/vectors.test.ts`, which writes them;
 * without the variable that test fails whenever the code and the files disagree.
 * docs/wire-protocol.md explains every file.
 */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildBloom } from './build/bloom.js'
import type { VectorFile } from './build/common.js'
import { buildCommittee } from './build/committee.js'
import { buildDecisions } from './build/decisions.js'
import { buildDirect } from './build/direct.js'
import { buildPrivate } from './build/private.js'
import { buildGossipIds, buildKeys, buildMessageIds } from './build/ids.js'
import { buildMalformed } from './build/malformed.js'
import { buildChatMessages } from './build/messages.js'
import { buildPresence } from './build/presence.js'
import { buildRepair, buildSignedRecords } from './build/repair.js'
import { buildCausalHistory, buildLamport } from './build/scenarios.js'

/** The folder the vector files live in. */
export const VECTORS_DIR = dirname(fileURLToPath(import.meta.url))

/** Every vector file by name (without .json), built from the code as it is now. */
export async function buildVectors (): Promise<Record<string, VectorFile>> {
  return {
    keys: await buildKeys(),
    'message-ids': await buildMessageIds(),
    'gossipsub-message-ids': await buildGossipIds(),
    'chat-message': await buildChatMessages(),
    'causal-history': await buildCausalHistory(),
    lamport: await buildLamport(),
    bloom: buildBloom(),
    'signed-record': await buildSignedRecords(),
    repair: await buildRepair(),
    presence: await buildPresence(),
    committee: await buildCommittee(),
    decisions: await buildDecisions(),
    direct: await buildDirect(),
    private: await buildPrivate(),
    malformed: await buildMalformed()
  }
}

/** The text of a vector file: two-space JSON and a final newline. */
export function serialise (file: VectorFile): string {
  return JSON.stringify(file, null, 2) + '\n'
}

/** Writes every vector file from the code as it is now; returns one line per file. */
export async function writeVectors (): Promise<string[]> {
  const lines: string[] = []
  for (const [name, file] of Object.entries(await buildVectors())) {
    writeFileSync(join(VECTORS_DIR, `${name}.json`), serialise(file))
    lines.push(`wrote test/vectors/${name}.json (${file.cases.length} cases)`)
  }
  return lines
}
