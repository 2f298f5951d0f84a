/**
 * Short display form of a peer id, for lines and tables where the full
 * 52-character id would crowd out the text.
 */

import { sanitize } from './sanitize.js'

/** A peer id shortened to its first and last 4 characters, `12D3…x7Yq`; sanitised. Ids of 10 characters or fewer are kept whole. */
export function shortId (peerId: string): string {
  const chars = [...sanitize(peerId)]
  return chars.length <= 10 ? chars.join('') : `${chars.slice(0, 4).join('')}…${chars.slice(-4).join('')}`
}
