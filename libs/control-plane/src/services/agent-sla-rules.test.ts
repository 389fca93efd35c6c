import { decideSla, deliveryBackoffMs, slaSettingsOf, validateSlaSettings, type SlaSnapshot } from './agent-sla-rules.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const snap = (over: Partial<SlaSnapshot> = {}): SlaSnapshot => ({
  created: at(0), settings: { slaSeconds: 60, minHealthy: 1, webhookUrl: null }, state: null, agents: [], ...over,
});

describe('decideSla (pure rule, fake clock)', () => {
  it.each([
    // [what, snapshot, now (s), status, event]
    ['one agent queried within the window', snap({ agents: [{ id: 'a', lastQueried: at(100) }] }), 150, 'ok', undefined],
    ['exactly at the window edge is still healthy', snap({ agents: [{ id: 'a', lastQueried: at(100) }] }), 160, 'ok', undefined],
    ['the only agent went quiet: failure', snap({ agents: [{ id: 'a', lastQueried: at(100) }] }), 161, 'failing', 'AGENT_SLA_FAILURE'],
    ['already failing: no second event', snap({ state: 'failing', agents: [{ id: 'a', lastQueried: at(100) }] }), 500, 'failing', undefined],
    ['failing group healthy again: recovered', snap({ state: 'failing', agents: [{ id: 'a', lastQueried: at(490) }] }), 500, 'ok', 'AGENT_SLA_RECOVERED'],
    ['ok and still ok: nothing', snap({ state: 'ok', agents: [{ id: 'a', lastQueried: at(490) }] }), 500, 'ok', undefined],
    ['no agents, config younger than the SLA: grace', snap(), 59, 'ok', undefined],
    ['no agents after sla_seconds since creation: failure', snap(), 61, 'failing', 'AGENT_SLA_FAILURE'],
    ['an agent that never queried is unhealthy', snap({ agents: [{ id: 'a', lastQueried: null }] }), 100, 'failing', 'AGENT_SLA_FAILURE'],
    ['min 2: one healthy of two is a failure', snap({ settings: { slaSeconds: 60, minHealthy: 2, webhookUrl: null }, agents: [{ id: 'a', lastQueried: at(100) }, { id: 'b', lastQueried: at(10) }] }), 120, 'failing', 'AGENT_SLA_FAILURE'],
    ['min 2: two healthy is fine', snap({ settings: { slaSeconds: 60, minHealthy: 2, webhookUrl: null }, agents: [{ id: 'a', lastQueried: at(100) }, { id: 'b', lastQueried: at(90) }] }), 120, 'ok', undefined],
  ] as const)('%s', (_what, snapshot, now, status, event) => {
    const d = decideSla(snapshot as SlaSnapshot, T0 + now * 1000);
    expect(d.status).toBe(status);
    expect(d.event).toBe(event);
  });

  it('splits agents into sorted healthy and unhealthy ids', () => {
    const d = decideSla(snap({ agents: [{ id: 'b', lastQueried: at(100) }, { id: 'c', lastQueried: at(0) }, { id: 'a', lastQueried: at(99) }] }), T0 + 120_000);
    expect(d).toMatchObject({ healthyAgentIds: ['a', 'b'], unhealthyAgentIds: ['c'] });
  });
});

describe('SLA settings', () => {
  it('monitors only configs with sla_seconds; defaults sla_min_healthy to 1', () => {
    expect(slaSettingsOf({})).toBeUndefined();
    expect(slaSettingsOf({ other: 1 })).toBeUndefined();
    expect(slaSettingsOf({ sla_seconds: 30 })).toEqual({ slaSeconds: 30, minHealthy: 1, webhookUrl: null });
    expect(slaSettingsOf({ sla_seconds: 30, sla_min_healthy: 2, webhook_url: 'https://hooks.example/x' })).toEqual({ slaSeconds: 30, minHealthy: 2, webhookUrl: 'https://hooks.example/x' });
  });

  it.each([
    [{ sla_seconds: -5 }, /sla_seconds must be a number of seconds of at least 1 \(got -5\)/],
    [{ sla_seconds: 0 }, /sla_seconds/],
    [{ sla_seconds: '300' }, /sla_seconds/],
    [{ sla_min_healthy: 0 }, /sla_min_healthy must be an integer of at least 1/],
    [{ sla_min_healthy: 1.5 }, /sla_min_healthy/],
    [{ webhook_url: 'not a url' }, /webhook_url must be an http:\/\/ or https:\/\/ URL/],
    [{ webhook_url: 'ftp://example.com/x' }, /webhook_url/],
    [[1, 2], /settings must be a JSON object/],
  ])('rejects %j', (settings, message) => {
    expect(() => validateSlaSettings(settings)).toThrow(message);
    try {
      validateSlaSettings(settings);
    } catch (err) {
      expect((err as { code: string }).code).toBe('BAD_USER_INPUT');
    }
  });

  it('accepts valid and unrelated settings', () => {
    expect(() => validateSlaSettings({ sla_seconds: 1, sla_min_healthy: 3, webhook_url: 'http://127.0.0.1:9/hook', anything: true })).not.toThrow();
    expect(() => validateSlaSettings(undefined)).not.toThrow();
  });

  it('backs off exponentially with a cap', () => {
    expect([1, 2, 3, 4].map((a) => deliveryBackoffMs(a, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(deliveryBackoffMs(30, 1000)).toBe(60_000);
  });
});
