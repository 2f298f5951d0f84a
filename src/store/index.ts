/**
 * Public surface of the persistence layer: data directory and profiles, the identity
 * key, the chat store (history, restart state, nick) in the datastore shared with
 * libp2p, retention, repair of a damaged store, and the prompt's input history.
 */
export { DEFAULT_PROFILE, profilePaths, resolveDataDir, validateProfileName, type ProfilePaths } from './paths.js'
export { checkKeyFileMode, loadIdentity, parsePrivateKey, readKeyFile, writeKeyFile, type Identity, type IdentityOptions, type KeySource } from './identity.js'
export { openProfile, type OpenProfileOptions, type Profile } from './profile.js'
export { fileRoomKeys, formatRoomKeys, memoryRoomKeys, parseRoomKeys, type HeldRoomKey, type RoomKeyStore } from './room-keys.js'
export { openStore, type OpenStoreOptions } from './open-store.js'
export { ChatStore, type ChatStoreInit, type ChatStoreOptions, type LoadedRoom, type LoadRoomOptions } from './chat-store.js'
export { STORE_FORMAT, type RoomState } from './json-records.js'
export { DEFAULT_RETENTION, MEMORY_RETENTION, type RetentionOptions } from './retention.js'
export { RECORD_VERSION, type StoredEntry, type StoredSignature } from './record-codec.js'
export { corruptStamp, repairStore } from './repair.js'
export { fileInputHistory, memoryInputHistory, MAX_INPUT_HISTORY, type InputHistory } from './input-history.js'
export { ROOT as STORE_KEY_ROOT } from './keys.js'
export { LevelKv, MemoryKv, type Kv } from './kv.js'
export { applyReady, KvCommitteeStorage, MemoryCommitteeStorage, type CommitteeStorage } from './committee-store.js'
export { DirectStore } from './direct-store.js'
