/**
 * Marks shown in chat lines and help, kept apart so that the line formatter
 * and the command-output tables can both use them without importing each other.
 */

/**
 * Marker of a line from one of the room's trusted peers: `12:04 ★ <alice> hi`,
 * `12:04 ★ * alice waves`. It sits between the time and the sender, outside
 * the nick, because a nick is self-chosen and unauthenticated: a mark inside
 * the brackets (`<+alice>`) could be copied by anyone calling themselves
 * `+alice`, while nothing a peer sends can put text before the sender.
 * One column, readable without colour (it is bold when colour is on).
 */
export const TRUSTED_MARK = '★'

/**
 * Marker of a stored line whose place in the order the room's committee has made final (a
 * finality checkpoint covers it): shown in `/history` (and the other stored-line listings) in
 * place of the `~` history mark, `12:04 ≡ <bob> hi`. One column, so final and unsettled lines
 * line up.
 */
export const FINAL_MARK = '≡'

/**
 * The word that ends a line which arrived after a checkpoint had made the order final past it
 * (it keeps its place at the end instead of sliding into settled history): dim `(late)`, or
 * `(late, arrived 12:07)` when its arrival time shows too.
 */
export const LATE_WORD = 'late'
