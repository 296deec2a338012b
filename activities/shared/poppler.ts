/**
 * Runs poppler's command-line tools (pdftotext, pdfinfo) from an activity: the knowledge base extracts PDFs with them
 * and the report renderer checks its PDF with them. The failures that mean the same to both are mapped here; any other
 * failure is the caller's to name, as only it knows what the tool was reading.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import path from 'node:path';
import { type ApplicationFailure } from '@temporalio/common';
import { failure } from '../../lib/failures';

export interface PopplerRunOptions {
  /** The longest the tool may run; it is killed after that. */
  timeoutMs: number;
  /** The activity's cancellation signal: aborting it kills the tool. */
  signal?: AbortSignal;
  /** Bytes of stdout (and stderr) kept; more fails the run. */
  maxBuffer: number;
  /** The tool as a timeout message names it; default the binary's file name. */
  name?: string;
  /** What any other failure means, given the first line of stderr (or the error's message when stderr is empty). */
  onFailure: (detail: string, err: ExecFileException) => ApplicationFailure;
}

/**
 * Resolves with the tool's stdout. Rejects with the cancellation itself when the signal aborted (so Temporal does not
 * retry it), `ProviderMisconfigured` with the install command when the binary is missing (retrying cannot help),
 * a retryable `Timeout` when it ran too long, and otherwise with what `onFailure` makes of the error.
 */
export function runPopplerTool(binary: string, args: string[], options: PopplerRunOptions): Promise<string> {
  const { timeoutMs, signal, maxBuffer } = options;
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, signal, maxBuffer, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : err);
      if (err.code === 'ENOENT') {
        return reject(
          failure(
            'ProviderMisconfigured',
            `${binary} was not found; install poppler-utils (apt-get install -y poppler-utils)`,
          ),
        );
      }
      if (err.killed) {
        const name = options.name ?? path.basename(binary);
        return reject(failure('Timeout', `${name} ran longer than ${timeoutMs} ms`));
      }
      const detail = String(stderr).trim().split('\n')[0] || err.message;
      reject(options.onFailure(detail, err));
    });
  });
}
