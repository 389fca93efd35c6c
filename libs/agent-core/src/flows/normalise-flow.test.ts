import { flowSpecHash, normaliseFlowSpec, stableStringify } from './normalise-flow.js';
import type { FlowSpec } from './flow-spec.js';

const spec = (extra: Partial<FlowSpec> = {}): FlowSpec => ({ name: 'etl', storage: { type: 'Module', path: 'etl.mjs' }, ...extra });

describe('stableStringify', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(stableStringify({ b: 1, a: { d: [2, { z: 1, y: undefined, x: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"x":null,"z":1}]},"b":1}');
  });
});

describe('flowSpecHash', () => {
  it('is stable for the same spec written differently', () => {
    const a = normaliseFlowSpec(spec({ run_config: { type: 'LocalRun', labels: ['x', 'y'] } }), '/base');
    const b = normaliseFlowSpec({ run_config: { labels: ['y', 'x', 'x'], type: 'LocalRun' }, storage: { path: '/base/etl.mjs', type: 'Module', export: 'default' }, name: 'etl' }, '/base');
    expect(flowSpecHash(a)).toBe(flowSpecHash(b));
    expect(flowSpecHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes when anything meaningful changes', () => {
    const base = flowSpecHash(normaliseFlowSpec(spec(), '/base'));
    expect(flowSpecHash(normaliseFlowSpec(spec(), '/elsewhere'))).not.toBe(base);
    expect(flowSpecHash(normaliseFlowSpec(spec({ parameters: [{ name: 'day', default: null }] }), '/base'))).not.toBe(base);
  });
});
