export { openDatabase, migrate, transaction, type Database } from './database.ts';
export { migrations, type Migration } from './migrations.ts';
