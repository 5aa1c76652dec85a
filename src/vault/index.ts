export { type RecordBinding, VaultError, type VaultErrorKind } from './envelope.ts';
export { parseMasterKeys, type RootKey, resolveMasterKeys, rootKeyId } from './master-key.ts';
export {
  createVault,
  type RotationOutcome,
  SEALED_COLUMNS,
  type Sealed,
  type Vault,
} from './vault.ts';
