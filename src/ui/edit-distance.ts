/**
 * Levenshtein edit distance, used to suggest the command a user probably
 * meant ("/peer" -> "/peers"). Inputs are short command names.
 */

/** The number of single-character insertions, deletions or substitutions turning `a` into `b`. */
export function editDistance (a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
    }
    prev = row
  }
  return prev[b.length]
}
