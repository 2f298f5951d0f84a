/** Checks of signed-record.json and repair.json against the code. */
import { expect } from 'vitest'
import { signRecord, verifyRecord, type SignedRecord } from '../../../src/room/signed-record.js'
import { asBytes, bytesToHex, MAX_PULL_REQUEST_BYTES, MAX_PULL_RESPONSE_BYTES, schema, uint64ToSafeInteger } from '../../../src/wire/index.js'
import { hex, identity, unhex, type Who } from '../build/common.js'
import { readPrefix } from '../build/judge.js'
import { plannedDeepPull, recordFields, signedBytes, wireRequest, type RecordFields, type RequestFields } from '../build/repair.js'

/** The record of JSON fields. */
export function fromRecordFields (f: RecordFields): SignedRecord {
  return {
    from: unhex(f.fromHex),
    data: unhex(f.dataHex),
    seqno: unhex(f.seqnoHex),
    topic: f.topic,
    signature: unhex(f.signatureHex),
    ...(f.keyHex !== undefined ? { key: unhex(f.keyHex) } : {})
  }
}

interface SignedCase { signer: Who, record: RecordFields, signedBytesHex: string, recordHex: string }

export async function checkSignedRecord (c: SignedCase): Promise<void> {
  const signer = await identity(c.signer)
  const record = fromRecordFields(c.record)
  const signed = await signRecord(signer.privateKey, signer.peerId, record.topic, record.data, record.seqno)
  expect(hex(signed.signature)).toBe(c.record.signatureHex)
  expect(hex(signed.from)).toBe(c.record.fromHex)
  expect(hex(signedBytes(record))).toBe(c.signedBytesHex)
  expect(await signer.privateKey.publicKey.verify(unhex(c.signedBytesHex), record.signature)).toBe(true)
  // SignedRecord shares RPC.Message's field numbers: without signature and key it is the signed message.
  const unsigned = schema.SignedRecord.encode({ from: record.from, data: record.data, seqno: record.seqno, topic: record.topic }).finish()
  expect('6c69627032702d7075627375623a' + hex(unsigned)).toBe(c.signedBytesHex)
  expect(hex(schema.SignedRecord.encode(record).finish())).toBe(c.recordHex)
  const verified = await verifyRecord(record)
  expect(verified.ok && verified.from.toString()).toBe(signer.id)
}

type RawRecord = Partial<Omit<SignedRecord, 'topic'>> & { topic: string }

interface RepairCase { type: 'PullRequest' | 'PullResponse', name: string, fields?: RequestFields, records?: RecordFields[], bodyHex: string, frameHex: string }

export async function checkRepair (c: RepairCase): Promise<void> {
  const body = unhex(c.bodyHex)
  const max = c.type === 'PullRequest' ? MAX_PULL_REQUEST_BYTES : MAX_PULL_RESPONSE_BYTES
  const prefix = readPrefix(unhex(c.frameHex), max)
  expect(prefix.outcome).toBe('length')
  if (prefix.outcome !== 'length') return
  expect(prefix.length).toBe(body.byteLength)
  expect(c.frameHex.slice(prefix.afterBytes * 2)).toBe(c.bodyHex)
  if (c.type === 'PullRequest') {
    const fields = c.fields as RequestFields
    if (fields.maxAncestors !== undefined) expect(fields).toEqual(await plannedDeepPull())
    expect(hex(schema.PullRequest.encode(wireRequest(fields)).finish())).toBe(c.bodyHex)
    const raw = schema.PullRequest.decode(body) as unknown as { channelId: string, messageIds: Uint8Array[], maxAncestors?: number, haveFilter?: Uint8Array, minLamport?: number }
    expect(raw.channelId).toBe(fields.channelId)
    expect(raw.messageIds.map(id => bytesToHex(id))).toEqual(fields.messageIds)
    expect(raw.maxAncestors ?? 0).toBe(fields.maxAncestors ?? 0)
    expect(hex(asBytes(raw.haveFilter))).toBe(fields.haveFilterHex ?? '')
    expect(uint64ToSafeInteger(raw.minLamport)).toBe(fields.minLamport ?? 0)
    return
  }
  const records = (c.records ?? []).map(fromRecordFields)
  expect(hex(schema.PullResponse.encode({ records }).finish())).toBe(c.bodyHex)
  const decoded = schema.PullResponse.decode(body) as unknown as { records: RawRecord[] }
  expect(decoded.records.map(r => {
    const key = asBytes(r.key)
    return recordFields({ from: asBytes(r.from), data: asBytes(r.data), seqno: asBytes(r.seqno), topic: r.topic, signature: asBytes(r.signature), ...(key.byteLength > 0 ? { key } : {}) })
  })).toEqual(c.records)
  for (const record of records) expect((await verifyRecord(record)).ok).toBe(true)
}
