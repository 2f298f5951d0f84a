/**
 * Live mode (`--mode live`): real libp2p nodes on loopback, in this process or
 * spread over worker processes (`--workers`), running the chat's own room and
 * reliability code. Forms a cluster, plays the plan once, stops everything.
 */

import type { SimConfig } from './config.js'
import { freshTopic, LiveCluster } from './live-cluster.js'
import type { RunMeasurement } from './measurement.js'
import type { RunPlan } from './plan.js'
import type { ProgressSink } from './progress.js'

/** Runs live mode. */
export async function runLive (config: SimConfig, plan: RunPlan, progress?: ProgressSink): Promise<RunMeasurement> {
  const began = performance.now()
  const cluster = await LiveCluster.start({
    nodes: plan.nodes,
    initial: plan.joinAt.flatMap((at, i) => at === 0 ? [i] : []),
    workers: config.workers,
    topic: config.topic !== '' ? config.topic : freshTopic(),
    seed: config.seed,
    gossip: config.gossip,
    channel: config.channel,
    raw: !config.reliability,
    topology: config.topology,
    warmupMs: config.warmupMs,
    paths: config.paths,
    nonForwarding: config.nonForwarding
  })
  try {
    const m = await cluster.run(config, plan, progress)
    return { ...m, wallMs: performance.now() - began }
  } finally {
    await cluster.stop()
  }
}
