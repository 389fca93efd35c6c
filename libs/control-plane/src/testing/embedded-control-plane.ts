import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from '../server.js';
import { tempDir } from './temp-dir.js';

/**
 * A control plane on an embedded store in a fresh temporary directory for the enclosing
 * `describe` block: started in `beforeAll`, closed and removed in `afterAll`. Later `beforeAll`
 * hooks of the block run after it, so they may seed it.
 */
export function embeddedControlPlane(options: Omit<ControlPlaneOptions, 'dataDir' | 'port'> = {}): { readonly cp: ControlPlane; readonly dir: string } {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let cp: ControlPlane | undefined;
  beforeAll(async () => {
    tmp = tempDir();
    cp = await startControlPlane({ port: 0, dataDir: tmp.dir, ...options });
  });
  afterAll(async () => {
    await cp?.close();
    tmp?.remove();
  });
  return {
    get cp() {
      if (!cp) throw new Error('the control plane starts in beforeAll');
      return cp;
    },
    get dir() {
      if (!tmp) throw new Error('the directory is created in beforeAll');
      return tmp.dir;
    },
  };
}
