/**
 * Public surface of the room layer: the `Room` I/O shell, the pure `RoomDriver` and its
 * batch of output, the broadcast-path seam, and the types the session shows upward.
 */
export { Room, type RoomEvents } from './room.js'
export { DEFAULT_ROOM_OPTIONS, resolveRoomOptions, type RoomOptions } from './room-options.js'
export { RoomDriver, type InboundVerdict } from './driver.js'
export { CLIENT_VERSION, DEFAULT_DRIVER_OPTIONS, resolveDriverOptions, type DriverOptions } from './driver-options.js'
export { emptyReady, type PullAsk, type PullAttempt, type RoomOutput, type RoomReady } from './driver-types.js'
export type { BroadcastPath, InboundCopy, PathHandler, PathVerdict } from './broadcast-path.js'
export { FaultyPath, type InboundFault } from './faulty-path.js'
export { validateNick } from './nick.js'
export { toCoreMessage, toWireMessage } from './core-adapter.js'
export type { ChatLine, CommitteeView, GovernanceNotice, OwnMessageState, RoomEventMap, RoomStatus } from './types.js'
export type { GovernanceAction } from './governance-codec.js'
