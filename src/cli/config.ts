/**
 * The one typed configuration the CLI builds from flags, environment variables
 * and defaults (precedence: flag > env > default).
 */

/** Everything the chat command needs to run. */
export interface Config {
  topic: string
  nick: string
  listen: string[]
  bootstrap: string[]
  mdns: boolean
  public: boolean
  json: boolean
  /** False with --no-color (NO_COLOR, TERM=dumb and non-TTY output are checked by the UI). */
  color: boolean
  logFile?: string
  localPort: number
}
