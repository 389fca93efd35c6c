import { parseArgs } from './main';

describe('chaos arguments', () => {
  it('defaults to every scenario on SQLite with the 10-minute soak', () => {
    expect(parseArgs([])).toEqual({ smoke: false, store: 'sqlite' });
  });

  it('takes scenarios, the store and the soak length', () => {
    expect(parseArgs(['--only', 'soak,partition', '--store', 'postgres', '--soak-seconds', '1500'])).toEqual({ smoke: false, only: ['soak', 'partition'], store: 'postgres', soakSeconds: 1500 });
  });

  it.each([
    [['--soak-seconds', 'ten'], /--soak-seconds must be a whole number of seconds from 10 to 7200, got ten/],
    [['--soak-seconds', '5'], /--soak-seconds must be .* got 5/],
    [['--store', 'mysql'], /--store must be sqlite or postgres/],
    [['--only', 'nope'], /unknown scenario nope/],
    [['--fast'], /unknown argument --fast/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
