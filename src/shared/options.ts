/**
 * Resolving `Partial<Options>` over named defaults, and the checks every layer's
 * options share. Each layer passes its own `fail`, so the error carries its code.
 */

/** Spreads the defined fields of `options` over `defaults` (an `undefined` field keeps the default). */
export function mergeOptions<T extends object> (defaults: T, options: Partial<T> = {}): T {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
  return { ...defaults, ...defined }
}

/** Raises a layer's own error for a bad option. */
export type OptionFailure = (message: string) => never

/** Requires each named field to be a safe integer ≥ 1. */
export function requirePositiveIntegers<T> (options: T, keys: ReadonlyArray<keyof T>, fail: OptionFailure): void {
  for (const key of keys) {
    const value = options[key]
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) fail(`${String(key)} must be a positive integer, got ${String(value)}`)
  }
}

/** Requires each named field to be a finite number > 0. */
export function requirePositiveNumbers<T> (options: T, keys: ReadonlyArray<keyof T>, fail: OptionFailure): void {
  for (const key of keys) {
    const value = options[key]
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`${String(key)} must be a finite number > 0, got ${String(value)}`)
  }
}

/** Requires each named field to be a finite number ≥ 0. */
export function requireNonNegativeNumbers<T> (options: T, keys: ReadonlyArray<keyof T>, fail: OptionFailure): void {
  for (const key of keys) {
    const value = options[key]
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(`${String(key)} must be a finite number >= 0, got ${String(value)}`)
  }
}
