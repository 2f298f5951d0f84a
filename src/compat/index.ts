/**
 * Runtime compatibility shims, loaded before anything else (bin/p2pchat.js and the
 * vitest setup import this first). libp2p 3 calls `Promise.withResolvers`, which
 * Node 20 lacks; Node 20.11 also lacks `util.styleText` (20.12+). On Node >= 22
 * both exist natively and this module does nothing.
 */

import util from 'node:util'

interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

const PromiseWithResolvers = Promise as PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> }

if (typeof PromiseWithResolvers.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T> (): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve']
      let reject!: Resolvers<T>['reject']
      const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}

type StyleText = (format: string | string[], text: string) => string
const utilWithStyle = util as unknown as { styleText?: StyleText, inspect: typeof util.inspect }

if (typeof utilWithStyle.styleText !== 'function') {
  // The UI calls util.styleText at call time, so adding it to the default export is enough.
  utilWithStyle.styleText = (format, text) => {
    const formats = Array.isArray(format) ? format : [format]
    return formats.reduceRight((acc, name) => {
      const codes = util.inspect.colors[name]
      return codes === undefined ? acc : `\u001b[${codes[0]}m${acc}\u001b[${codes[1]}m`
    }, text)
  }
}

export {}
