import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';

export type RecordedLine = { level: LogLevel; message: string; meta?: LogMetadata };

/** Keeps an activity's log lines for assertions instead of printing them (pass to MockActivityEnvironment). */
export function recordingLogger(): Logger & { lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  const at = (level: LogLevel) => (message: string, meta?: LogMetadata) => void lines.push({ level, message, meta });
  return {
    lines,
    log: (level, message, meta) => void lines.push({ level, message, meta }),
    trace: at('TRACE'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}
