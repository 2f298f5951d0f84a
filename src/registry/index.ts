/**
 * The room registry: PeerPrint's `{created, url, rooms|queues}` YAML format,
 * loaded from a file, an http(s) URL or an IPFS CID (verified against the
 * CID), validated with line:column errors, and printed as a rooms table.
 */

export { loadRegistry } from './source.js'
export { parseRegistry, DEFAULT_PARSE_OPTIONS } from './parse.js'
export type { ParseRegistryOptions } from './parse.js'
export { DEFAULT_LOAD_OPTIONS, resolveLoadOptions } from './options.js'
export type { RegistryLoadOptions } from './options.js'
export { classifySource } from './source-kind.js'
export type { RegistrySource } from './source-kind.js'
export {
  computeUnixfsCid,
  verifyCid,
  KUBO_V0_PROFILE,
  KUBO_V1_PROFILE,
  KUBO_V1_WRAPPED_LEAVES_PROFILE,
  UNIXFS_V1_2025_PROFILE
} from './verify-cid.js'
export type { AddProfile } from './verify-cid.js'
export { registryProblemOf, codeOfProblem } from './problem.js'
export type { RegistryProblem, RegistryProblemKind } from './problem.js'
export { roomsTable, DEFAULT_ROOMS_TABLE_OPTIONS } from './rooms-table.js'
export type { RoomsTableOptions } from './rooms-table.js'
export { REGISTRY_KEYS } from './schema.js'
export { ROOM_KEYS } from './schema-room.js'
export { MAX_REGISTRY_BYTES, DEFAULT_IPFS_API, DEFAULT_TIMEOUT_MS } from './constants.js'
export type {
  Registry,
  RegistryRoom,
  RegistryWarning,
  ParsedRegistry,
  LoadedRegistry,
  RegistrySourceInfo
} from './types.js'
