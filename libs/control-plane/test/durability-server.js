// Child process for the kill -9 durability test: starts the control plane from the built
// library (dist) on a random port and prints its URL.
const { startControlPlane } = require('../dist/index.js');

startControlPlane({ port: 0, dataDir: process.argv[2] }).then((cp) => {
  process.stdout.write(`${cp.url}\n`);
});
