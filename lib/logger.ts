/**
 * Structured JSON logging with winston. Every module takes a child logger with its own
 * `component`, and request/workflow ids are added as metadata, never interpolated.
 */
import winston from 'winston';

export type Logger = winston.Logger;

let root: winston.Logger | undefined;

export function createLogger(level = 'info', silent = false): winston.Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
}

/** The process logger; configure it once at boot with `configureLogger`. */
export function logger(component?: string): winston.Logger {
  root ??= createLogger('info');
  return component ? root.child({ component }) : root;
}

export function configureLogger(level: string, silent = false): winston.Logger {
  root = createLogger(level, silent);
  return root;
}
