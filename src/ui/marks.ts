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
