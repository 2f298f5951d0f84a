/**
 * One check per vector file: given a case (and the file's other cases), it recomputes the
 * case with the real code and fails on any difference.
 */
import { expect } from 'vitest'
import { judge, statusCounter, type MalformedCase } from '../build/judge.js'
import { checkBloom } from './bloom.js'
import { checkCommittee } from './committee.js'
import { checkDecisions } from './decisions.js'
import { checkDirect } from './direct.js'
import { checkPrivate } from './private.js'
import { checkGossipId, checkKey, checkMessageId } from './ids.js'
import { checkChatMessage, checkScenario } from './messages.js'
import { checkPresence } from './presence.js'
import { checkRepair, checkSignedRecord } from './repair.js'

/** A check of one case; `all` is every case of the same file. */
export type Check = (c: never, all: never[]) => Promise<void>

async function checkMalformed (c: MalformedCase & { expect: Record<string, unknown>, counter?: string }): Promise<void> {
  expect(await judge(c)).toEqual(c.expect)
  expect(statusCounter(c, c.expect)).toBe(c.counter)
}

/** The check of each file, by file name without `.json`. */
export const CHECKS: Record<string, Check> = {
  keys: checkKey,
  'message-ids': checkMessageId,
  'gossipsub-message-ids': checkGossipId,
  'chat-message': checkChatMessage,
  'causal-history': checkScenario,
  lamport: checkScenario,
  bloom: checkBloom,
  'signed-record': checkSignedRecord,
  repair: checkRepair,
  presence: checkPresence,
  committee: checkCommittee,
  decisions: checkDecisions,
  direct: checkDirect,
  private: checkPrivate,
  malformed: checkMalformed
}
