// subscriptions: 10,000 WebSocket clients, each authenticated with its own token and subscribed
// to walletUpdated on its own wallet, while transfers are sent to those wallets at a fixed rate.
// Reports how fast the sockets connect, the time from each mutation's HTTP response to each
// event, and events lost, which must be 0: every committed change reaches its subscribers.
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { combineRuns, emptyErrors, type PhaseResult } from '../figures.js';
import { globalId } from '../graphql.js';
import type { NotifyCommand, RunFigures, SubscribeResult, Subscriber } from '../protocol.js';
import { issueTokens, walletSequences } from '../seed.js';
import type { MeasureContext, Scenario } from './types.js';

interface SubscriptionPlan {
  subscribers: Subscriber[];
  senders: string[];
  targets: { walletId: string; subscribers: number }[];
}

const SENDERS = 100;
/** Sockets are spread over these source addresses (each has its own ephemeral port range). */
const LOCAL_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
/** File descriptors kept free in each process besides the sockets (pool, Redis, files, HTTP). */
const FD_MARGIN = 1000;

/** The hard limit on open files for processes started from here (children raise their soft limit to it). */
export function fileDescriptorLimit(): number {
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
  } catch {
    return 1024;
  }
}

/** Waits until the server has a Redis subscription for every wallet (PostgreSQL + Redis mode). */
async function waitForRedisChannels(url: string, prefix: string, wallets: number, timeoutMs: number): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const channels = (await redis.call('PUBSUB', 'CHANNELS', `${prefix}wallet.*`)) as string[];
      if (channels.length >= wallets || Date.now() > deadline) return channels.length;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    redis.disconnect();
  }
}

async function measureSubscriptions(ctx: MeasureContext, plan: SubscriptionPlan): Promise<PhaseResult[]> {
  const { settings, server, load, progress, target } = ctx;
  if (!server || !load) throw new Error('subscriptions needs a server');
  progress.say(`  opening ${plan.subscribers.length.toLocaleString('en-US')} WebSocket subscribers…`);
  const subscribed = await load.run<SubscribeResult>(
    {
      type: 'subscribe',
      wsUrl: server.wsUrl,
      subscribers: plan.subscribers,
      concurrency: 100,
      localAddresses: LOCAL_ADDRESSES,
      timeoutMs: 60_000,
    },
    (p) => progress.count('subscribers connected', p.ok, plan.subscribers.length),
  );
  const failedCount = subscribed.requested - subscribed.connected;
  progress.say(
    `  connected ${subscribed.connected.toLocaleString('en-US')}/${subscribed.requested.toLocaleString('en-US')} in ${subscribed.seconds.toFixed(1)} s` +
      (failedCount ? ` (failed: ${JSON.stringify(subscribed.failed)})` : ''),
  );
  const connectErrors = emptyErrors();
  connectErrors.transport = subscribed.failed;
  const connectRun: RunFigures = {
    throughput: subscribed.connected / subscribed.seconds,
    sent: subscribed.requested,
    completed: subscribed.connected,
    ok: subscribed.connected,
    durationS: subscribed.seconds,
    latencyMs: subscribed.connectMs,
    errors: connectErrors,
    cpu: {},
    counts: { requested: subscribed.requested, connected: subscribed.connected },
  };
  const phases: PhaseResult[] = [
    {
      workload: 'connect (socket → ack)',
      kind: 'connect',
      mode: 'connect',
      label: `${subscribed.requested.toLocaleString('en-US')} sockets`,
      settings: { concurrency: 100, localAddresses: LOCAL_ADDRESSES },
      runs: [connectRun],
      median: combineRuns([connectRun]),
    },
  ];
  if (failedCount > 0) {
    ctx.notes.push(`${failedCount} subscribers could not connect (${JSON.stringify(subscribed.failed)}); events were not measured`);
    await load.run({ type: 'unsubscribe' });
    return phases;
  }

  // The server subscribes to Redis per wallet after the socket is acknowledged; wait for all of
  // them so the first events are not measured through the catch-up path.
  if (target.redis) {
    const live = await waitForRedisChannels(target.redis.url, target.redis.prefix, plan.targets.length, 60_000);
    if (live < plan.targets.length) ctx.notes.push(`only ${live}/${plan.targets.length} wallet channels were live in Redis after 60 s`);
  } else {
    await new Promise((r) => setTimeout(r, 2000));
  }

  const command = (durationS: number, graceMs: number): NotifyCommand => ({
    type: 'notify',
    origin: server.origin,
    connections: 32,
    senders: plan.senders,
    targets: plan.targets,
    rate: settings.subscriptionRate,
    durationMs: durationS * 1000,
    graceMs,
  });
  progress.say(`  events: warming up ${settings.warmupS} s`);
  await ctx.measureRun(command(settings.warmupS, 5000), 'events warm-up');
  const runs: RunFigures[] = [];
  for (let i = 1; i <= settings.runs; i++) {
    const label = `events at ${settings.subscriptionRate}/s run ${i}/${settings.runs}`;
    const run = await ctx.measureRun(command(settings.durationS, 10_000), label);
    const c = run.counts ?? {};
    progress.say(
      `  ${label}: ${c.receivedEvents}/${c.expectedEvents} events, lost ${c.lostEvents}, p50 ${run.latencyMs.p50.toFixed(1)} ms p99 ${run.latencyMs.p99.toFixed(1)} ms after the response`,
    );
    runs.push(run);
  }
  phases.push({
    workload: 'walletUpdated events',
    kind: 'event',
    mode: 'fixed',
    label: `${settings.subscriptionRate}/s → ${plan.subscribers.length.toLocaleString('en-US')} subs`,
    settings: {
      rate: settings.subscriptionRate,
      subscribers: plan.subscribers.length,
      subscribersPerWallet: settings.subscribersPerWallet,
      graceMs: 10_000,
    },
    runs,
    median: combineRuns(runs),
    note: 'latency: from the sendMoney HTTP response to each walletUpdated event; throughput: transfers/s',
  });
  await load.run({ type: 'unsubscribe' });
  return phases;
}

export const subscriptions: Scenario<SubscriptionPlan> = {
  name: 'subscriptions',
  summary: 'walletUpdated over WebSocket: connect, event latency after the mutation response, events lost',
  auditLedger: true,
  needsServer: true,
  async prepare(ctx) {
    const { settings } = ctx;
    const limit = fileDescriptorLimit();
    let count = settings.subscribers;
    if (count + FD_MARGIN > limit) {
      count = Math.max(1, limit - FD_MARGIN);
      ctx.notes.push(
        `file-descriptor limit is ${limit} per process: ${count} subscribers instead of ${settings.subscribers} ` +
          '(each socket is one descriptor in the server and one in the load process; raise the hard limit, e.g. in /etc/security/limits.conf, to go higher)',
      );
    }
    const perWallet = Math.min(settings.subscribersPerWallet, count);
    const walletCount = Math.ceil(count / perWallet);
    const population = await ctx.seeder.population(ctx.sql);
    const owners =
      population.length >= walletCount
        ? population.slice(0, walletCount)
        : await ctx.seeder.group(ctx.sql, 'subscriber', walletCount, 10_000_000n);
    const senders = await ctx.seeder.group(ctx.sql, 'sender', SENDERS, 1_000_000_000n);
    const sequences = await walletSequences(
      ctx.sql,
      owners.map((o) => o.walletId),
    );
    const ownerTokens = await issueTokens(owners, ctx.jwtSecret);
    const subscribers: Subscriber[] = [];
    for (let i = 0; i < count; i++) {
      const w = i % walletCount;
      subscribers.push({
        token: ownerTokens[w]!,
        walletId: globalId('Wallet', owners[w]!.walletId),
        afterSequence: String(sequences.get(owners[w]!.walletId) ?? 0n),
      });
    }
    const targets = owners.map((o, w) => ({
      walletId: globalId('Wallet', o.walletId),
      subscribers: Math.floor(count / walletCount) + (w < count % walletCount ? 1 : 0),
    }));
    return { subscribers, senders: await issueTokens(senders, ctx.jwtSecret), targets };
  },
  measure: measureSubscriptions,
};
