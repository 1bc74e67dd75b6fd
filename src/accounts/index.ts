/** Public face of the accounts module. */
export {
  type AccountContext,
  type AccountType,
  type Authenticator,
  BUILT_IN_ACCOUNT,
  builtInAuthenticator,
} from './account-context.ts';
