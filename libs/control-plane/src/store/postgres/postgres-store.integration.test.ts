import { openStore } from '../open-store.js';
import { describeStoreContract } from '../testing/store-contract.js';
import { freshDatabase, postgresAvailable } from '../testing/pg-database.js';

let available = false;
const dbs: { drop: () => Promise<void> }[] = [];
beforeAll(async () => {
  available = await postgresAvailable();
});

describeStoreContract('PostgreSQL', () => available ? {
  open: async () => {
    const db = await freshDatabase();
    dbs.push(db);
    return openStore({ databaseUrl: db.url });
  },
  cleanup: async () => {
    await Promise.all(dbs.map((db) => db.drop()));
  },
} : undefined);
