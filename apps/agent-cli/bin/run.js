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
} else {
  oclif();
}
