/**
 * Where the time to the first chart goes, from one Chromium performance trace (the Performance
 * panel's categories plus the V8 sampling profiler) of one page load:
 *
 * - main-thread time between navigation start and the `first-chart` mark, by kind of work
 *   (script compile, script execution, style and layout, paint, HTML parsing, idle);
 * - script execution split by the original source file of the sampled function, through the
 *   build's source maps: React, Recharts (with its store and d3), the router, React Query, our code.
 *
 * Network and API times come from the page's Resource Timing, measured by the caller.
 */
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';

const KIND = [
  [
    /^(v8\.compile|v8\.compileModule|CompileScript|v8\.parseOnBackground|CacheScript|v8\.produceCache)/,
    'script compile',
  ],
  [
    /^(FunctionCall|EvaluateScript|v8\.evaluateModule|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|v8\.run|V8\.|MajorGC|MinorGC|v8\.callFunction|v8\.newInstance|RequestIdleCallback|FireIdleCallback|XHRReadyStateChange)/,
    'script execution (incl. GC)',
  ],
  [
    /^(UpdateLayoutTree|Layout|RecalculateStyles|ScheduleStyleRecalculation|InvalidateLayout|HitTest|IntersectionObserverController)/,
    'style and layout',
  ],
  [
    /^(Paint|PrePaint|Layerize|UpdateLayer|Commit|PaintImage|CompositeLayers|RasterTask|Decode)/,
    'paint and composite',
  ],
  [/^(ParseHTML|ParseAuthorStyleSheet)/, 'HTML and CSS parsing'],
];

const kindOf = (name) => KIND.find(([re]) => re.test(name))?.[1] ?? 'other browser work';

const SOURCE_BUCKETS = [
  [/node_modules\/(react-dom|scheduler)\//, 'React (react-dom)'],
  [
    /node_modules\/(recharts|@reduxjs|redux|react-redux|immer|reselect|d3-[a-z]+|victory-vendor|decimal\.js-light|es-toolkit|eventemitter3|tiny-invariant|use-sync-external-store|internmap)\//,
    'Recharts (and its store, d3)',
  ],
  [/node_modules\/react-router/, 'React Router'],
  [/node_modules\/@tanstack\//, 'React Query'],
  [/node_modules\/react\//, 'React (react)'],
  [/apps\/web\/src\/components\/chart\//, 'our chart code'],
  [/(apps\/web\/src|libs\/)/, 'our other code'],
  [/node_modules\//, 'other libraries'],
];

/** Self time per event name on one thread, from complete ('X') and begin/end events. */
function selfTimes(events) {
  const spans = [];
  const open = [];
  for (const e of events) {
    if (e.ph === 'X' && typeof e.dur === 'number') spans.push({ name: e.name, ts: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const b = open.pop();
      if (b) spans.push({ name: b.name, ts: b.ts, end: e.ts });
    }
  }
  spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
  const stack = [];
  const roots = [];
  for (const s of spans) {
    s.children = 0;
    while (stack.length && stack.at(-1).end <= s.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.children += Math.max(0, Math.min(s.end, parent.end) - s.ts);
    else roots.push(s);
    stack.push(s);
  }
  return { spans, roots };
}

function clip(span, from, to) {
  return Math.max(0, Math.min(span.end, to) - Math.max(span.ts, from));
}

export function summariseTrace(trace, webDir) {
  const events = trace.traceEvents ?? trace;
  const mark = events.find((e) => e.name === 'first-chart' && (e.cat ?? '').includes('blink.user_timing'));
  if (!mark) throw new Error('the trace has no first-chart mark');
  const { pid, tid } = mark;
  const navStart = events
    .filter((e) => e.pid === pid && e.name === 'navigationStart' && e.ts <= mark.ts)
    .reduce((latest, e) => (!latest || e.ts > latest.ts ? e : latest), null);
  const from =
    navStart?.ts ?? events.filter((e) => e.pid === pid).reduce((m, e) => Math.min(m, e.ts), Infinity);
  const to = mark.ts;

  const thread = events.filter(
    (e) => e.pid === pid && e.tid === tid && (e.ph === 'X' || e.ph === 'B' || e.ph === 'E'),
  );
  const { spans, roots } = selfTimes(thread);
  const byKind = new Map();
  let busy = 0;
  for (const root of roots) busy += clip(root, from, to);
  for (const s of spans) {
    const inWindow = clip(s, from, to);
    if (inWindow === 0) continue;
    const self = Math.max(0, inWindow - Math.min(inWindow, s.children));
    if (s.name === 'RunTask' || s.name === 'ThreadControllerImpl::RunTask') continue;
    byKind.set(kindOf(s.name), (byKind.get(kindOf(s.name)) ?? 0) + self);
  }
  const window = to - from;
  const kinds = Object.fromEntries(
    [...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v / 1000)]),
  );
  kinds['idle (waiting for network or the next frame)'] = Math.round((window - busy) / 1000);

  // V8 sampling profiler chunks of the same thread.
  const nodes = new Map();
  const samples = [];
  let t = null;
  for (const e of events) {
    if (e.pid !== pid) continue;
    if (e.name === 'Profile' && e.args?.data?.startTime !== undefined) t = e.args.data.startTime;
    if (e.name !== 'ProfileChunk') continue;
    const data = e.args?.data ?? {};
    for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      t = (t ?? 0) + (deltas[i] ?? 0);
      samples.push({ id: ids[i], ts: t });
    }
  }
  const maps = new Map();
  const mapFor = (url) => {
    if (maps.has(url)) return maps.get(url);
    let map = null;
    const m = /\/assets\/([^/?#]+\.js)/.exec(url ?? '');
    const file = m && join(webDir, 'assets', `${m[1]}.map`);
    if (file && existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
    maps.set(url, map);
    return map;
  };
  const bySource = new Map();
  let sampled = 0;
  for (let i = 0; i < samples.length - 1; i++) {
    const s = samples[i];
    if (s.ts < from || s.ts > to) continue;
    const dt = samples[i + 1].ts - s.ts;
    const frame = nodes.get(s.id)?.callFrame;
    if (!frame) continue;
    let bucket;
    if (frame.functionName === '(idle)') continue;
    if (
      frame.functionName === '(program)' ||
      frame.functionName === '(garbage collector)' ||
      frame.functionName === '(root)'
    )
      bucket =
        frame.functionName === '(garbage collector)' ? 'garbage collection' : 'browser, not JavaScript';
    else {
      const map = mapFor(frame.url);
      const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
      const source = entry?.originalSource ?? frame.url ?? '';
      bucket =
        SOURCE_BUCKETS.find(([re]) => re.test(source))?.[1] ?? (source ? 'other script' : 'native / unknown');
    }
    bySource.set(bucket, (bySource.get(bucket) ?? 0) + dt);
    sampled += dt;
  }
  const sources = Object.fromEntries(
    [...bySource.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v / 1000)]),
  );
  return { firstChartMs: Math.round(window / 1000), kinds, sources, sampledMs: Math.round(sampled / 1000) };
}
