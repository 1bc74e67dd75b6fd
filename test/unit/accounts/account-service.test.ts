import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountRow } from '../../../src/accounts/account-repository.ts';
import { FIRST_ADMIN_ID } from '../../../src/accounts/index.ts';
import { AppError } from '../../../src/errors/index.ts';
import { type AccountsFixture, openAccountsFixture } from './fixture.ts';

let fx: AccountsFixture;
let admin: AccountRow;
let user: AccountRow;

const PASSWORD = 'long enough password';

async function make(login: string, accountType: AccountRow['accountType']) {
  const row = await fx.service.createTrusted({
    login,
    password: PASSWORD,
    accountType,
    description: '',
  });
  return row!;
}

async function expectStatus(promise: Promise<unknown>, status: number) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
}

beforeEach(async () => {
  fx = await openAccountsFixture();
  admin = await make('root@x.io', 'admin');
  user = await make('user@x.io', 'user');
});

afterEach(async () => {
  await fx.dispose();
});

describe('account service rules', () => {
  it('lets only an admin create accounts, and refuses a taken login', async () => {
    const input = {
      login: 'new@x.io',
      password: PASSWORD,
      accountType: 'user' as const,
      description: '',
    };
    await expectStatus(fx.service.create(user, input), 403);
    const row = await fx.service.create(admin, input);
    expect(row.login).toBe('new@x.io');
    await expectStatus(fx.service.create(admin, { ...input, login: 'NEW@x.io' }), 409);
  });

  it('shows a non-admin only its own account; another id reads as missing', async () => {
    expect((await fx.service.get(user, user.accountId)).login).toBe('user@x.io');
    await expectStatus(fx.service.get(user, admin.accountId), 404);
    expect((await fx.service.query(user, { page: 1, pageSize: 10 })).rows).toHaveLength(1);
    expect((await fx.service.query(admin, { page: 1, pageSize: 10 })).count).toBe(2);
  });

  it('lets an account change its password but not its type', async () => {
    await fx.service.update(user, user.accountId, { password: 'a brand new password' });
    const stored = await fx.repositories.accounts.find(user.accountId);
    expect(await fx.hasher.verify('a brand new password', stored!.passwordHash)).toBe(true);
    await expectStatus(fx.service.update(user, user.accountId, { accountType: 'admin' }), 403);
    await expectStatus(fx.service.update(user, admin.accountId, { description: 'x' }), 404);
    await expectStatus(fx.service.update(admin, admin.accountId, { accountType: 'user' }), 403);
    await fx.service.update(admin, user.accountId, { accountType: 'advanced_user' });
    expect((await fx.repositories.accounts.find(user.accountId))!.accountType).toBe(
      'advanced_user',
    );
  });

  it('lets an admin delete others but nobody delete itself', async () => {
    await expectStatus(fx.service.remove(user, user.accountId), 403);
    await expectStatus(fx.service.remove(user, admin.accountId), 404);
    await expectStatus(fx.service.remove(admin, admin.accountId), 403);
    await fx.service.remove(admin, user.accountId);
    await expectStatus(fx.service.get(admin, user.accountId), 404);
  });

  it('gives the first trusted admin the id that owns pre-account data', async () => {
    const fresh = await openAccountsFixture();
    try {
      const input = {
        login: 'a@x.io',
        password: PASSWORD,
        accountType: 'admin' as const,
        description: '',
      };
      expect((await fresh.service.createTrusted(input, 'prefer'))!.accountId).toBe(FIRST_ADMIN_ID);
      expect(
        await fresh.service.createTrusted({ ...input, login: 'b@x.io' }, 'only'),
      ).toBeUndefined();
      const second = await fresh.service.createTrusted({ ...input, login: 'b@x.io' }, 'prefer');
      expect(second!.accountId).not.toBe(FIRST_ADMIN_ID);
    } finally {
      await fresh.dispose();
    }
  });
});

describe('account erasure', () => {
  async function seed(accountId: string, tag: string) {
    const now = Date.now();
    const [sample, face, list, attribute] = [1, 2, 3, 4].map(() => crypto.randomUUID());
    await fx.db.batch(
      [
        {
          sql: 'INSERT INTO samples VALUES (?, ?, ?, 1, 1, ?)',
          args: [sample!, accountId, now, '{}'],
        },
        {
          sql: 'INSERT INTO attributes VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?)',
          args: [attribute!, accountId, now, now + 1e6, '[]'],
        },
        {
          sql: 'INSERT INTO faces VALUES (?, ?, ?, ?, NULL, NULL, ?)',
          args: [face!, accountId, now, tag, '[]'],
        },
        {
          sql: 'INSERT INTO face_descriptors VALUES (?, ?, ?)',
          args: [face!, 'v1', new Uint8Array(8)],
        },
        {
          sql: 'INSERT INTO lists VALUES (?, ?, ?, ?, ?)',
          args: [list!, accountId, now, now, tag],
        },
        { sql: 'INSERT INTO list_faces VALUES (?, ?, ?)', args: [list!, face!, now] },
        {
          sql: 'INSERT INTO account_tokens VALUES (?, ?, ?, ?, ?, NULL, ?, ?)',
          args: [crypto.randomUUID(), accountId, crypto.randomUUID(), '{}', '', now, now],
        },
      ],
      'write',
    );
    const file = path.join(fx.sampleDir, sample!.slice(0, 2), `${sample}.jpg`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'jpeg');
    return { sample: sample!, face: face!, list: list!, file };
  }

  async function countOf(table: string, accountId: string): Promise<number> {
    const rs = await fx.db.execute({
      sql: `SELECT COUNT(*) AS n FROM ${table} WHERE account_id = ?`,
      args: [accountId],
    });
    return Number(rs.rows[0]!.n);
  }

  it('removes every row, file and gallery entry of the account and nothing of others', async () => {
    const gone = await seed(user.accountId, 'gone');
    const kept = await seed(admin.accountId, 'kept');
    const report = await fx.service.remove(admin, user.accountId);
    expect(report).toMatchObject({ samples: 1, faces: 1, lists: 1 });
    for (const table of ['samples', 'attributes', 'faces', 'lists', 'account_tokens', 'accounts']) {
      expect(await countOf(table, user.accountId)).toBe(0);
      expect(await countOf(table, admin.accountId)).toBe(1);
    }
    const orphans = await fx.db.execute('SELECT COUNT(*) AS n FROM list_faces');
    expect(Number(orphans.rows[0]!.n)).toBe(1);
    const descriptors = await fx.db.execute('SELECT COUNT(*) AS n FROM face_descriptors');
    expect(Number(descriptors.rows[0]!.n)).toBe(1);
    expect(existsSync(gone.file)).toBe(false);
    expect(existsSync(kept.file)).toBe(true);
    expect(fx.gallery.dropped).toEqual([gone.list]);
    expect(fx.gallery.removed).toEqual([gone.face]);
    expect(fx.gallery.forgotten).toEqual([user.accountId]);
  });
});
