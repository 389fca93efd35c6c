import { openStore } from '../open-store.js';
import { describeStoreContract } from '../testing/store-contract.js';
import { tempDir } from '../../testing/temp-dir.js';

const dirs: ReturnType<typeof tempDir>[] = [];
describeStoreContract('SQLite', () => ({
  open: async () => {
    const t = tempDir();
    dirs.push(t);
    return openStore({ dataDir: t.dir });
  },
  cleanup: async () => dirs.forEach((d) => d.remove()),
}));
