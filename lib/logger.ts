/**
 * Structured JSON logging with winston. Every module takes a child logger with its own
 * `component`, and request/workflow ids are added as metadata, never interpolated.
 * Every line passes `redactInfo`: errors keep message, stack, code and cause; secrets are masked.
 */
import winston from 'winston';
import { redactInfo } from './log-redact';

export type Logger = winston.Logger;

let root: winston.Logger | undefined;

/** Masks secrets and serialises errors in every line, whoever logs it. */
export const redactFormat = winston.format((info) => redactInfo(info));

export function createLogger(
  level = 'info',
  silent = false,
  transports: winston.transport[] = [new winston.transports.Console()],
): winston.Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(winston.format.timestamp(), redactFormat(), winston.format.json()),
    transports,
  });
}

/** The process logger; configure it once at boot with `configureLogger`. */
export function logger(component?: string): winston.Logger {
  root ??= createLogger('info');
  return component ? root.child({ component }) : root;
}

export function configureLogger(level: string, silent = false, transports?: winston.transport[]): winston.Logger {
  root = createLogger(level, silent, transports);
  return root;
}

/** For a process that cannot start: a configuration error is its own message; anything else is logged safely. */
export function logFatal(err: unknown, what: string): void {
  if (err instanceof Error && err.name === 'ConfigError') console.error(err.message);
  else logger().error(what, { err });
}
