/**
 * What a `--registry` value names: a file path, an http(s) URL, or an IPFS
 * CID (bare `Qm...`/`bafy...`, `ipfs://<cid>` or `/ipfs/<cid>`). A bare string
 * that looks like a CID is taken as one; write `./Qm...` for a file of that name.
 */

import { fileURLToPath } from 'node:url'
import { CID } from 'multiformats/cid'
import { failRegistry } from './problem.js'

/** A classified registry source. */
export type RegistrySource =
  | { kind: 'file', path: string }
  | { kind: 'url', url: string }
  | { kind: 'cid', cid: CID }

// CIDv0 (base58btc sha2-256) and CIDv1 in base32 ('b') or base58btc ('z').
const LOOKS_LIKE_CID = /^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{20,}|z[1-9A-HJ-NP-Za-km-z]{20,})$/

function parseCid (text: string, original: string, offerFileHint = false): CID {
  const cidText = text.replace(/\/+$/, '')
  if (cidText.includes('/')) {
    failRegistry('bad-source', original, `${original}: paths inside a CID are not supported; give the CID of the registry file itself`)
  }
  try {
    return CID.parse(cidText)
  } catch (err) {
    const hint = offerFileHint ? `; write ./${original} for a file of that name` : ''
    failRegistry('bad-source', original, `${original}: not a valid IPFS CID (${err instanceof Error ? err.message : String(err)})${hint}`, { cause: err })
  }
}

/** Classifies a registry source string; throws `bad-source` (INVALID_FLAG) when it names nothing usable. */
export function classifySource (source: string): RegistrySource {
  const text = source.trim()
  if (text === '') failRegistry('bad-source', source, 'the registry source is empty: give a file path, an http(s):// URL or an IPFS CID')
  if (/^https?:\/\//i.test(text)) {
    if (!URL.canParse(text)) failRegistry('bad-source', source, `${text}: not a valid URL`)
    return { kind: 'url', url: text }
  }
  if (/^file:\/\//i.test(text)) {
    try {
      return { kind: 'file', path: fileURLToPath(text) }
    } catch (err) {
      failRegistry('bad-source', source, `${text}: not a valid file URL`, { cause: err })
    }
  }
  if (/^ipfs:\/\//i.test(text)) return { kind: 'cid', cid: parseCid(text.slice('ipfs://'.length), text) }
  if (text.startsWith('/ipfs/')) return { kind: 'cid', cid: parseCid(text.slice('/ipfs/'.length), text) }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    failRegistry('bad-source', source, `${text}: unsupported scheme; give a file path, an http(s):// URL or an IPFS CID`)
  }
  if (LOOKS_LIKE_CID.test(text)) return { kind: 'cid', cid: parseCid(text, text, true) }
  return { kind: 'file', path: source }
}
