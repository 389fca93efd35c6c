import { parseDuration, parseParameters, parseParamValue, resolveStartTime } from './run-input.js';

describe('parseParamValue', () => {
  it.each([
    ['3', 3],
    ['true', true],
    ['null', null],
    ['[1,"a"]', [1, 'a']],
    ['{"k":1}', { k: 1 }],
    ['"quoted"', 'quoted'],
    ['2024-01-01', '2024-01-01'],
    ['Ada Lovelace', 'Ada Lovelace'],
    ['', ''],
  ])('%s', (text, value) => expect(parseParamValue(text)).toEqual(value));
});

describe('parseParameters', () => {
  it('merges --params JSON with --param pairs, pairs winning, values may contain =', () => {
    expect(parseParameters(['n=3', 'q=a=b'], '{"n": 1, "day": "mon"}')).toEqual({ n: 3, day: 'mon', q: 'a=b' });
  });
  it.each([
    [['novalue'], undefined, 'INVALID_PARAM'],
    [['=x'], undefined, 'INVALID_PARAM'],
    [[], '{bad', 'INVALID_PARAMS'],
    [[], '[1]', 'INVALID_PARAMS'],
  ])('refuses %j / %s', (pairs, json, code) => {
    expect(() => parseParameters(pairs as string[], json)).toThrow(expect.objectContaining({ code, exitCode: 2 }));
  });
});

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['2 days', 172_800_000],
    ['1.5h', 5_400_000],
    ['45', 45_000],
    ['250ms', 250],
    ['1w', 604_800_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'soon', '10x', '10m later', 'm10'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({ code: 'INVALID_DURATION' }));
  });
});

describe('resolveStartTime', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  it('adds --start-in to now', () => expect(resolveStartTime({ startIn: '10m' }, now)).toBe('2030-01-01T00:10:00.000Z'));
  it('normalises --start-at to UTC', () => expect(resolveStartTime({ startAt: '2030-01-02T09:00:00+02:00' }, now)).toBe('2030-01-02T07:00:00.000Z'));
  it('is undefined without either', () => expect(resolveStartTime({}, now)).toBeUndefined());
  it('refuses both, and a non-ISO date', () => {
    expect(() => resolveStartTime({ startIn: '1m', startAt: '2030-01-01T00:00:00Z' })).toThrow(/cannot be used together/);
    expect(() => resolveStartTime({ startAt: 'tomorrow' })).toThrow(expect.objectContaining({ code: 'INVALID_START_AT' }));
  });
});
