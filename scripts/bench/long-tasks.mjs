/**
 * Long tasks on a page's main thread, and how much of each was the extension's own
 * work, from a Chromium trace (categories: toplevel, devtools.timeline, v8 and
 * disabled-by-default-v8.cpu_profiler).
 *
 * A task's time is ours when the sampled JavaScript stack holds a frame from our
 * script (this also catches async continuations, which carry no script URL in the
 * trace), or when it is the evaluation of our script itself (compiling shows no stack).
 */
export const TRACE_CATEGORIES = 'toplevel,devtools.timeline,v8,disabled-by-default-v8.cpu_profiler';

export function attributeLongTasks(events, ourPrefix, minMs = 50) {
  const isOurs = (url) => typeof url === 'string' && url.startsWith(ourPrefix);
  const evals = events.filter((e) => e.name === 'EvaluateScript' && e.ph === 'X' && isOurs(e.args?.data?.url));
  // The renderer's main thread: where our script was evaluated (else where the page was parsed).
  const anchor = evals[0] ?? events.find((e) => e.name === 'ParseHTML');
  if (!anchor) return { tasks: [], evaluations: 0 };
  const { pid, tid } = anchor;

  // Sampled stacks of that renderer's V8 isolate.
  const profile = events.find((e) => e.name === 'Profile' && e.pid === pid);
  const samples = []; // [time µs, ours]
  if (profile) {
    const nodes = new Map();
    let t = profile.args.data.startTime;
    for (const c of events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile.id)) {
      const cp = c.args.data.cpuProfile ?? {};
      for (const n of cp.nodes ?? []) nodes.set(n.id, { url: n.callFrame?.url, parent: n.parent });
      const deltas = c.args.data.timeDeltas ?? [];
      (cp.samples ?? []).forEach((id, i) => {
        t += deltas[i] ?? 0;
        samples.push([t, id]);
      });
    }
    const memo = new Map();
    const ours = (id) => {
      if (id === undefined) return false;
      if (memo.has(id)) return memo.get(id);
      const n = nodes.get(id);
      const v = !!n && (isOurs(n.url) || ours(n.parent));
      memo.set(id, v);
      return v;
    };
    for (const s of samples) s[1] = ours(s[1]);
  }

  const tasks = events
    .filter((e) => e.ph === 'X' && e.pid === pid && e.tid === tid && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.dur >= minMs * 1000)
    .map((task) => {
      const end = task.ts + task.dur;
      const inTask = evals.filter((e) => e.ts >= task.ts && e.ts < end);
      let oursUs = inTask.reduce((sum, e) => sum + e.dur, 0);
      for (let i = 0; i < samples.length - 1; i++) {
        const [at, mine] = samples[i];
        if (!mine || at < task.ts || at >= end) continue;
        if (inTask.some((e) => at >= e.ts && at < e.ts + e.dur)) continue;
        oursUs += Math.min(samples[i + 1][0], end) - at;
      }
      return { ms: task.dur / 1000, oursMs: oursUs / 1000, evaluatesOurScript: inTask.length > 0 };
    });
  return { tasks, evaluations: evals.length, evaluateMs: evals.map((e) => e.dur / 1000) };
}
