/** Public face of the database module. */
export { type Database, openDatabase } from './database.ts';
export { type Migration, migrate, readMigrations } from './migrate.ts';
