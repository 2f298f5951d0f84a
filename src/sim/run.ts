/**
 * `runSim`: plans a run, hands it to the driver of its mode, analyses what was
 * measured, and writes the outputs (table or JSON on stdout, the HTML report,
 * the CPU profile summary). Resolves with the exit code.
 */

import { writeFile } from 'node:fs/promises'
import { oneLine } from '../session/errors.js'
import type { SimConfig } from './config.js'
import { analyze } from './analyze.js'
import type { RunMeasurement } from './measurement.js'
import { planRun, type RunPlan } from './plan.js'
import { NO_PROGRESS, terminalProgress, type ProgressSink } from './progress.js'
import { reportHtml } from './report-html.js'
import { reportTable } from './report-table.js'
import type { SimReport } from './report-types.js'
import { runModel } from './model-run.js'
import { runRawModel } from './raw-model.js'
import { startProfile, summarizeProfiles } from './profile.js'

/** Where a run writes. */
export interface SimIo {
  /** Standard output (the report). */
  out: (text: string) => void
  /** Standard error (notices, errors). */
  err: (text: string) => void
  /** Progress display; a terminal line on stderr when it is a TTY by default. */
  progress?: ProgressSink
  /** Receives the report object (tests, benchmarks). */
  onReport?: (report: SimReport) => void
}

/** The default io: process stdout and stderr. */
export const PROCESS_IO: SimIo = {
  out: text => { process.stdout.write(text) },
  err: text => { process.stderr.write(text) }
}

/** Runs the driver of `config.mode`. */
export async function measure (config: SimConfig, plan: RunPlan, progress: ProgressSink): Promise<RunMeasurement> {
  if (config.mode === 'model') {
    const stop = config.cpuProf !== undefined ? await startProfile() : undefined
    const m = config.reliability ? runModel(config, plan, progress) : runRawModel(config, plan, progress)
    if (stop !== undefined && config.cpuProf !== undefined) m.profile = summarizeProfiles([await stop(config.cpuProf)], [config.cpuProf])
    return m
  }
  if (config.mode === 'live') {
    const { runLive } = await import('./live-run.js')
    return await runLive(config, plan, progress)
  }
  const { runProcs } = await import('./procs-run.js')
  return await runProcs(config, plan, progress)
}

/** Runs the simulator and writes its outputs. Resolves with the exit code: 0, 1 on failure, 3 when `check` finds a broken guarantee. */
export async function runSim (config: SimConfig, io: SimIo = PROCESS_IO): Promise<number> {
  const progress = io.progress ?? terminalProgress()
  let report: SimReport
  try {
    const plan = planRun(config)
    const m = await measure(config, plan, progress)
    progress.done()
    report = analyze(m)
  } catch (err) {
    progress.done()
    io.err(`p2pchat sim: ${oneLine(err)}\n`)
    return 1
  }
  io.onReport?.(report)
  if (config.json) io.out(JSON.stringify(report) + '\n')
  else io.out(reportTable(report).join('\n') + '\n')
  if (config.report !== undefined) {
    try {
      await writeFile(config.report, reportHtml(report))
      io.err(`p2pchat sim: report written to ${config.report}\n`)
    } catch (err) {
      io.err(`p2pchat sim: cannot write the report: ${oneLine(err)}\n`)
      return 1
    }
  }
  return config.check && report.problems.length > 0 ? 3 : 0
}

export { NO_PROGRESS }
