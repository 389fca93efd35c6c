#!/usr/bin/env node
// The `prefect` command. Runs the compiled oclif commands in ../dist.
require('@oclif/core')
  .execute({ dir: __dirname })
  .catch((error) => require('@oclif/core').handle(error));
