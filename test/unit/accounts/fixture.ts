/** Accounts services over a temp database with a cheap hash, shared by the unit tests here. */

import { eraseAccountData, type GalleryEraser } from '../../../src/accounts/account-erasure.ts';
import { createAccountRepository } from '../../../src/accounts/account-repository.ts';
import {
  type AccountService,
  createAccountService,
} from '../../../src/accounts/account-service.ts';
import { createPasswordHasher } from '../../../src/accounts/password-hasher.ts';
import { createTokenRepository } from '../../../src/accounts/token-repository.ts';
import { createFileStore } from '../../../src/images/index.ts';
import { createLogger, setLogLevel } from '../../../src/logger/index.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';

/** A gallery stand-in that records what it was told to forget. */
export interface RecordingGallery extends GalleryEraser {
  dropped: string[];
  removed: string[];
  forgotten: string[];
}

/** Everything a unit test of the accounts services needs. */
export interface AccountsFixture extends TempDb {
  service: AccountService;
  gallery: RecordingGallery;
  repositories: {
    accounts: ReturnType<typeof createAccountRepository>;
    tokens: ReturnType<typeof createTokenRepository>;
  };
  hasher: ReturnType<typeof createPasswordHasher>;
  sampleDir: string;
}

/** Opens the fixture; argon2id runs with a low cost to keep the tests quick. */
export async function openAccountsFixture(): Promise<AccountsFixture> {
  setLogLevel('error');
  const temp = await openTempDb();
  const gallery: RecordingGallery = {
    dropped: [],
    removed: [],
    forgotten: [],
    dropList: (id) => gallery.dropped.push(id),
    removeFace: (id) => gallery.removed.push(id),
    forgetAccount: (id) => gallery.forgotten.push(id),
  };
  const sampleDir = `${temp.dir}/samples`;
  const sampleFiles = createFileStore(sampleDir, '.jpg');
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1 });
  const accounts = createAccountRepository(temp.db);
  const service = createAccountService({
    accounts,
    hasher,
    erase: (id) =>
      eraseAccountData(
        {
          db: temp.db,
          fileOwners: [{ table: 'samples', idColumn: 'sample_id', files: sampleFiles }],
          gallery,
        },
        id,
      ),
    logger: createLogger({ module: 'test' }),
  });
  const tokens = createTokenRepository(temp.db);
  return { ...temp, service, gallery, repositories: { accounts, tokens }, hasher, sampleDir };
}
