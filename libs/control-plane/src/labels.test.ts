import { agentMayTakeRun, normaliseLabels } from './labels.js';

describe('agentMayTakeRun (Prefect label rule)', () => {
  it.each([
    [[], [], true],
    [['a'], [], false],
    [[], ['a'], false],
    [['a', 'b'], ['a'], true],
    [['a'], ['a', 'b'], false],
    [['a', 'b'], ['b', 'a'], true],
    [['host1'], ['dev'], false],
  ])('agent %j, run %j -> %s', (agent, run, expected) => {
    expect(agentMayTakeRun(agent, run)).toBe(expected);
  });

  it('normalises labels to a sorted unique list', () => {
    expect(normaliseLabels(['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(normaliseLabels(undefined)).toEqual([]);
  });
});
