/** The wire layer: protobuf schema, codecs and limits. */
export * from './schema.js'
export * from './limits.js'
export * from './hex.js'
export * from './chat-message.js'
export * from './chat-content.js'
export * from './length-prefix.js'
export * from './strict-decode.js'
export * from './uint64.js'
