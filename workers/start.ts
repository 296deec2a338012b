/**
 * Worker process entry: installs the runtime (winston logs, Prometheus metrics), connects,
 * runs the workers for the given queues, and shuts down gracefully on SIGTERM/SIGINT:
 * pollers stop, in-flight activities get the grace period, then are handed back.
 */
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { config as loadConfig } from '../lib/config';
import { configureLogger, logFatal } from '../lib/logger';
import type { QueueKind } from '../lib/task-queues';
import { createWorkers, runWorkers } from './create-workers';
import { createWorkerDependencies } from './dependencies';
import { startProcessMetrics } from './process-metrics';

const SDK_LEVELS: Record<string, LogLevel> = {
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  verbose: 'DEBUG',
  silly: 'TRACE',
  http: 'INFO',
};

export async function startWorkerProcess(kinds: readonly QueueKind[]): Promise<void> {
  const config = loadConfig();
  const log = configureLogger(config.logLevel).child({ component: 'worker', queues: kinds.join(',') });

  Runtime.install({
    logger: new DefaultLogger(SDK_LEVELS[config.logLevel] ?? 'INFO', (entry) => {
      log.log({
        level: entry.level === 'TRACE' ? 'silly' : entry.level.toLowerCase(),
        message: entry.message,
        ...entry.meta,
      });
    }),
    telemetryOptions: {
      metrics:
        config.worker.metricsPort > 0
          ? { prometheus: { bindAddress: `0.0.0.0:${config.worker.metricsPort}` } }
          : undefined,
    },
    shutdownSignals: [],
  });
  const stopProcessMetrics =
    config.worker.metricsPort > 0 ? startProcessMetrics(Runtime.instance().metricMeter) : () => undefined;

  const deps = createWorkerDependencies(config, kinds);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const prefix = config.temporal.taskQueues.main.slice(0, -'main'.length);
  const workers = await createWorkers({
    connection,
    deps,
    kinds,
    prefix,
    namespace: config.temporal.namespace,
    workflowBundle: config.temporal.workflowBundle ? { codePath: config.temporal.workflowBundle } : undefined,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('Shutting down workers', { signal, graceSeconds: config.worker.shutdownGraceSeconds });
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  log.info('Workers polling', {
    taskQueues: workers.map((w) => w.options.taskQueue),
    metricsPort: config.worker.metricsPort,
  });
  try {
    await runWorkers(workers);
  } finally {
    stopProcessMetrics();
    await deps.close();
    await connection.close();
    log.info('Workers stopped');
  }
}

export function main(kinds: readonly QueueKind[]): void {
  startWorkerProcess(kinds).catch((err: unknown) => {
    logFatal(err, 'The workers did not start');
    process.exit(1);
  });
}
