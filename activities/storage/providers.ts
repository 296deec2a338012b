/**
 * The registry: builds the file storage from configuration at boot. The embedded default (`local`, a folder) needs no
 * account, key or network; `s3` is any S3-compatible service. A provider missing its settings fails the boot instead of
 * silently falling back.
 */
import type { Config } from '../../lib/config';
import type { FileStorage } from './file-storage.port';
import { createLocalFileStorage } from './local-file-storage';
import { createS3FileStorage } from './s3-file-storage';

export const FILE_STORAGE_PROVIDERS = ['local', 's3'] as const;

/** The parts of the configuration file storage reads (a whole `Config` fits). */
export interface FileStorageConfig {
  storage: Config['storage'];
  filesDir: string;
  api: Pick<Config['api'], 'publicUrl'>;
}

export function createFileStorageFromConfig(config: FileStorageConfig): FileStorage {
  const provider = config.storage.provider;
  const publicBaseUrl = config.api.publicUrl;
  switch (provider) {
    case 'local':
      return createLocalFileStorage({ rootDir: config.filesDir, publicBaseUrl });
    case 's3':
      if (!config.storage.s3.bucket) throw new Error('File storage "s3" is selected but S3_BUCKET is not set');
      return createS3FileStorage({ ...config.storage.s3, publicBaseUrl });
    default:
      throw new Error(
        `Unknown file storage provider "${String(provider)}"; known: ${FILE_STORAGE_PROVIDERS.join(', ')}`,
      );
  }
}
