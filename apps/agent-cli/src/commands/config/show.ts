import { resolveConfig, showConfig, type ConfigShowResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { agentStartFlags, toStartFlags } from '../../flags/agent-flags.js';
import { renderTable } from '../../render/table.js';

export default class ConfigShow extends BaseCommand {
  static override summary = 'Show every effective agent setting and where it came from';
  static override description =
    'Resolves flags > PREFECT__* environment variables > ~/.prefect/config.toml (or PREFECT__USER_CONFIG_PATH) > defaults, exactly as `agent local start` does, and prints each setting with its source. The API key is masked.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --label dev --json',
    'PREFECT__CLOUD__AGENT__LABELS=\'["dev", "staging"]\' <%= config.bin %> <%= command.id %>',
  ];
  static override flags = agentStartFlags();

  async run(): Promise<ConfigShowResult> {
    const { flags } = await this.parse(ConfigShow);
    const result = showConfig(resolveConfig({ flags: toStartFlags(flags) }));
    if (!this.jsonEnabled()) {
      this.log(
        renderTable(result.settings, [
          { header: 'SETTING', value: (r) => r.key },
          { header: 'VALUE', value: (r) => (typeof r.value === 'string' ? r.value : JSON.stringify(r.value)) },
          {
            header: 'SOURCE',
            value: (r) => (r.source.kind === 'default' ? 'default' : `${r.source.kind}: ${r.source.name}`),
            style: (r) => (r.source.kind === 'default' ? 'dim' : 'cyan'),
          },
        ]),
      );
    }
    return result;
  }
}
