import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';

/** How a `POST /api/responses` ended, from its status. Never labelled by team, cycle or time. */
export type SubmissionOutcome = 'accepted' | 'duplicate' | 'rejected' | 'rate_limited' | 'failed';

export function submissionOutcome(status: number): SubmissionOutcome {
  if (status === 201) return 'accepted';
  if (status === 200) return 'duplicate';
  if (status === 429) return 'rate_limited';
  return status < 500 ? 'rejected' : 'failed';
}

/**
 * The Prometheus metrics of one app instance, in its own registry (several apps in one test
 * process must not share counters). Served by `GET /api/metrics` when `METRICS_TOKEN` is set.
 *
 * Labels are deliberately coarse: the route *pattern* (never a raw path with ids), the method
 * and the status. Submissions are counted by outcome only — a per-team or per-cycle submission
 * counter, scraped every few seconds, would record when a given team's members answered.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'candor_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'candor_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly submissions = new Counter({
    name: 'candor_submissions_total',
    help: 'Anonymous survey submissions by outcome (accepted, duplicate retry, rejected, rate_limited, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'candor_rate_limited_total',
    help: 'Requests refused with 429 by a per-route rate limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /*
   * Cycle counts and scheduler lag are read from the database at scrape time, so they are true
   * for the whole deployment whichever instance opened or closed a cycle (behind N instances,
   * take max(), not sum()), and the lag keeps growing while no scheduler runs at all.
   */
  readonly cyclesOpened = new Counter({
    name: 'candor_cycles_opened_total',
    help: 'Survey cycles ever opened (read from the database at scrape time; the same on every instance)',
    registers: [this.registry],
  });

  readonly cyclesClosed = new Counter({
    name: 'candor_cycles_closed_total',
    help: 'Survey cycles ever closed (read from the database at scrape time; the same on every instance)',
    registers: [this.registry],
  });

  readonly schedulerLag = new Gauge({
    name: 'candor_scheduler_lag_seconds',
    help: 'How long the most overdue cycle has been past its closing time without being closed (0 when none is)',
    registers: [this.registry],
  });

  readonly schedulerLastTick = new Gauge({
    name: 'candor_scheduler_last_tick_timestamp_seconds',
    help: 'Unix time of the last scheduler tick that finished on this instance (absent while it has not ticked)',
    registers: [this.registry],
  });

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // Process metrics (CPU, memory, event loop lag, GC) only when someone can read them.
    if (config.metrics.token !== null) collectDefaultMetrics({ register: this.registry, prefix: 'candor_' });
  }

  /** The Prometheus text for a scrape. A database outage leaves the database-read values as they were. */
  async scrape(): Promise<string> {
    try {
      const [row]: { opened: string; closed: string; lag: number | null }[] = await this.dataSource.query(
        `SELECT count(*) AS opened,
                count(*) FILTER (WHERE status = 'closed') AS closed,
                extract(epoch FROM now() - min(closes_at) FILTER (WHERE status = 'open' AND closes_at <= now()))::float8 AS lag
           FROM cycle`,
      );
      if (row) {
        this.cyclesOpened.reset();
        this.cyclesOpened.inc(Number(row.opened));
        this.cyclesClosed.reset();
        this.cyclesClosed.inc(Number(row.closed));
        this.schedulerLag.set(Math.max(0, row.lag ?? 0));
      }
    } catch {
      // The scrape still answers with the in-process metrics; /api/health reports the database.
    }
    return this.registry.metrics();
  }

  /** Called once per finished HTTP request. `route` is the pattern, e.g. `/api/cycles/:cycleId/tokens`. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
    if (method === 'POST' && route === '/api/responses')
      this.submissions.inc({ outcome: submissionOutcome(status) });
  }
}
