/** Secrets at rest: see secret-box.ts for the format, keys.ts for where keys come from. */
import { loadSecretKeys, type SecretKeySource } from './keys';
import { createSecretBox } from './secret-box';

export {
  createSecretBox,
  sealedContext,
  sealedKeyId,
  SecretBoxError,
  type SecretBox,
  type SecretKey,
  type SecretKeys,
} from './secret-box';
export { generateKeyEntry, loadSecretKeys, parseSecretKeys, KEYS_FILE, type SecretKeySource } from './keys';

/** The box for this configuration: SECRETS_KEYS, or the development key file. */
export function secretBoxFromConfig(config: SecretKeySource) {
  return createSecretBox(loadSecretKeys(config));
}
