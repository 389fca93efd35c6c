#!/usr/bin/env node
// The `prefect` command. Runs the compiled oclif commands in ../dist.
const argv = process.argv.slice(2);

function oclif() {
  require('@oclif/core')
    .execute({ dir: __dirname })
    .catch((error) => require('@oclif/core').handle(error));
}

if (argv[0] === 'agent' && argv[1] === 'local' && argv[2] === 'start') {
  // The long-running agent: a plain command line runs without loading oclif (~8 MB less RSS for
  // the agent's whole life); help, --json and anything unusual go to oclif (dist/agent-start.js).
  require('../dist/agent-start.js')
    .fastAgentLocalStart(argv.slice(3))
    .then((done) => done || oclif())
    .catch((error) => require('@oclif/core').handle(error));
} else if (argv[0] === 'server' && argv[1] === 'start') {
  // The same for the control plane: a plain command line starts it without loading oclif
  // (~100 ms of start-up); anything else goes to oclif (dist/server-start.js).
  require('../dist/server-start.js')
    .fastServerStart(argv.slice(2))
    .then((done) => done || oclif())
    .catch((error) => require('@oclif/core').handle(error));
} else {
  oclif();
}
