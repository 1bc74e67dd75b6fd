/** Credentials of test accounts and the `Authorization` headers that carry them. */

/** The admin every test appliance is bootstrapped with. */
export const TEST_ADMIN = { login: 'admin@lunette.test', password: 'test-admin-password' };

/** `Authorization: Basic` for a login and password. */
export function basicAuth(login: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` };
}

/** `Authorization: Bearer` for an API token. */
export function bearerAuth(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
