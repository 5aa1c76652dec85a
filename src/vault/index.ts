/**
 * The vault: envelope encryption of tokens at rest (AES-256-GCM, a data key per record
 * wrapped by a versioned master key, additional data bound to the record), key rotation
 * and retirement. Owns the `vault_keys` table. Imports only `db/`.
 */
export { type RecordBinding, VaultError, type VaultErrorKind } from './envelope.ts';
export { parseMasterKeys, type RootKey, resolveMasterKeys, rootKeyId } from './master-key.ts';
export {
  createVault,
  kekAad,
  type RotationOutcome,
  SEALED_COLUMNS,
  type Sealed,
  type Vault,
} from './vault.ts';
