import { Api, Ledger, median, newStore, nowMs, round, rssBytes, sleep, startAgent, startServer, zombiesOf, psTable } from '@prefect-ts/bench';
import { check, type ChaosOptions, type ChaosScenario } from './types';

/** Runs created at 20/s for 10 minutes (or --soak-seconds): RSS drift of agent and server, zombies, every run once. */
export const soak: ChaosScenario = {
  name: 'soak',
  async run({ smoke, store: kind, log, soakSeconds }: ChaosOptions) {
    const seconds = soakSeconds ?? (smoke ? 10 : 600);
    const rate = 20;
    const store = await newStore(kind);
    const server = await startServer(store);
    const agent = await startAgent(server.url);
    try {
      const api = new Api(server.url);
      const ledger = new Ledger();
      const flowId = await api.createFlow(ledger.argv(), 'soak');
      const samples: { t: number; agent: number; server: number }[] = [];
      let maxZombies = 0;
      const t0 = nowMs();
      let created = 0;
      let nextSample = 0;
      while (nowMs() - t0 < seconds * 1000) {
        const due = Math.floor(((nowMs() - t0) / 1000) * rate);
        while (created < due) {
          await api.createRun(flowId);
          created += 1;
        }
        if (nowMs() - t0 >= nextSample) {
          samples.push({ t: (nowMs() - t0) / 1000, agent: rssBytes(agent.pid), server: rssBytes(server.pid) });
          maxZombies = Math.max(maxZombies, zombiesOf(agent.pid, psTable()).length);
          nextSample += smoke ? 2000 : 10_000;
        }
        await sleep(10);
      }
      const rows = await api.waitAllTerminal(flowId, 60_000, 500);
      samples.push({ t: (nowMs() - t0) / 1000, agent: rssBytes(agent.pid), server: rssBytes(server.pid) });
      const zombiesEnd = zombiesOf(agent.pid).length;
      const { duplicates, distinct } = ledger.check();
      const ok = rows.filter((r) => r.state === 'Success').length;
      // drift: the median RSS of the last tenth of the soak against that of the tenth after a
      // warm-up tenth. Medians, not single samples: a garbage-collected heap breathes by tens of
      // MB between collections, and one sample taken before or after a major GC says nothing.
      const during = samples.slice(0, -1);
      const window = (from: number, to: number) => during.filter((x) => x.t >= seconds * from && x.t <= seconds * to);
      const med = (xs: typeof samples, k: 'agent' | 'server') => median(xs.map((x) => x[k]));
      const early = window(0.1, 0.2).length ? window(0.1, 0.2) : during.slice(0, 1);
      const late = window(0.9, 1).length ? window(0.9, 1) : during.slice(-1);
      const base = { agent: med(early, 'agent'), server: med(early, 'server') };
      const last = { agent: med(late, 'agent'), server: med(late, 'server') };
      const drift = (a: number, b: number) => round(((b - a) / a) * 100, 1);
      // T8 bounds growth: an RSS that shrinks over the soak (memory handed back) is not drift
      const bounded = (a: number, b: number) => (smoke ? undefined : drift(a, b) <= 10);
      const mb = (b: number) => round(b / 2 ** 20, 1);
      // the whole curve, tenth by tenth: a leak keeps climbing, a cache that fills up flattens
      const tenths = (k: 'agent' | 'server') => Array.from({ length: 10 }, (_, i) => window(i / 10, (i + 1) / 10))
        .filter((xs) => xs.length > 0).map((xs) => mb(med(xs, k))).join(' ');
      log(`soak ${seconds} s at ${rate}/s (${kind}): ${created} runs, ${ok} Success, ${duplicates.length} duplicates; agent RSS ${mb(base.agent)} → ${mb(last.agent)} MB, server ${mb(base.server)} → ${mb(last.server)} MB; zombies max ${maxZombies}`);
      log(`  RSS medians by tenth (MB): agent ${tenths('agent')}; server ${tenths('server')}`);
      const s = `soak-${seconds}s/${kind}`;
      return [
        check(s, `runs Success / executed once (of ${created})`, `${ok} / ${distinct}`, ok === created && distinct === created && duplicates.length === 0, `${created} / ${created}`),
        check(s, 'agent zombies (max during, at end)', `${maxZombies}, ${zombiesEnd}`, maxZombies <= 2 && zombiesEnd === 0, '0 at end', 'a child can be a zombie for the instant before its SIGCHLD is handled'),
        { scenario: s, metric: 'agent RSS drift', value: `${drift(base.agent, last.agent)} %`, unit: '', target: '≤ 10 %', met: bounded(base.agent, last.agent), note: `median ${mb(base.agent)} → ${mb(last.agent)} MB (2nd tenth vs last tenth)` },
        { scenario: s, metric: 'server RSS drift', value: `${drift(base.server, last.server)} %`, unit: '', target: '≤ 10 %', met: bounded(base.server, last.server), note: `median ${mb(base.server)} → ${mb(last.server)} MB (2nd tenth vs last tenth)` },
        { scenario: s, metric: 'RSS medians by tenth of the soak', value: `server ${tenths('server')}`, unit: 'MB', note: `agent ${tenths('agent')}` },
      ];
    } finally {
      await agent.stop('SIGTERM');
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
