/** Public face of the accounts module. */
export {
  ACCOUNT_TYPES,
  type Access,
  type AccountContext,
  type AccountType,
  type Authenticator,
  type AuthRequest,
  contextOf,
  FIRST_ADMIN_ID,
  PERMISSIONS,
  type Permission,
  type Permissions,
} from './account-context.ts';
export type { GalleryEraser } from './account-erasure.ts';
export { accountView } from './account-routes.ts';
export { LOGIN, PASSWORD, PERMISSIONS_SCHEMA } from './account-schemas.ts';
export {
  type AccountsDeps,
  type AccountsModule,
  createAccountsModule,
  createOfflineAccounts,
  type OfflineAccounts,
} from './accounts-module.ts';
export { allows, isSubset, RESOURCES, type Resource } from './permissions.ts';
export { tokenView } from './token-routes.ts';
