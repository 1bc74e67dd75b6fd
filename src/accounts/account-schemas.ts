/** zod schemas of the account, token and setup routes. */
import * as z from 'zod';
import { ACCOUNT_TYPES, PERMISSIONS } from './account-context.ts';
import { RESOURCES } from './permissions.ts';

/** A login: an e-mail address, compared case-insensitively. */
export const LOGIN = z
  .email({ error: 'login must be an e-mail address' })
  .max(254)
  .transform((s) => s.toLowerCase());

/** A password: 10 to 128 characters. */
export const PASSWORD = z.string().min(10).max(128);

/** An account type. */
export const ACCOUNT_TYPE = z.enum(ACCOUNT_TYPES);

/** A free-text description. */
export const DESCRIPTION = z.string().max(256);

/** A token's grants: resource → subset of creation, view, modification, deletion. */
export const PERMISSIONS_SCHEMA = z.partialRecord(
  z.enum(RESOURCES),
  z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length * 2),
);

/** Body of a new token and of a token replacement. */
export const TOKEN_BODY = z.object({
  permissions: PERMISSIONS_SCHEMA,
  expiration_time: z.iso.datetime({ offset: true }).optional(),
  description: DESCRIPTION.default(''),
});

/** Body of a new account. */
export const NEW_ACCOUNT_BODY = z.object({
  login: LOGIN,
  password: PASSWORD,
  account_type: ACCOUNT_TYPE.default('user'),
  description: DESCRIPTION.default(''),
});

/** Body of an account change. */
export const ACCOUNT_PATCH_BODY = z
  .object({
    password: PASSWORD.optional(),
    account_type: ACCOUNT_TYPE.optional(),
    description: DESCRIPTION.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give password, account_type or description',
  });

/** Body of `POST /6/setup`. */
export const SETUP_BODY = z.object({
  setup_token: z.string().min(1).max(256),
  login: LOGIN,
  password: PASSWORD,
  description: DESCRIPTION.default(''),
});
