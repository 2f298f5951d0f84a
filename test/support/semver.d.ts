/**
 * The two functions of `semver` (a dev dependency without bundled types) that the packaging
 * test uses, typed so the test tree type-checks without adding `@types/semver`.
 */
declare module 'semver' {
  const semver: {
    satisfies: (version: string, range: string, options?: { includePrerelease?: boolean }) => boolean
    minVersion: (range: string) => { version: string } | null
  }
  export default semver
}
