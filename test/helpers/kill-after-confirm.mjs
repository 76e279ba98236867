// Preloaded into a real server process (node --import) by the delivery crash test: once a
// POST to GLASSBOX_TEST_KILL_AFTER_2XX_FROM has been answered 2xx, the process is killed
// with SIGKILL on the next turn of the event loop (setImmediate), that is, as soon as the
// work that the answer's arrival set off without waiting on any I/O is done. A server
// that records the outcome in that same turn keeps it; one that waits on anything first
// (a body, a timer, a log write) loses it and sends the notification again.
const target = process.env.GLASSBOX_TEST_KILL_AFTER_2XX_FROM;
const realFetch = globalThis.fetch;
globalThis.fetch = async function fetchThenDie(input, init) {
  const res = await realFetch(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (target && url.startsWith(target) && res.status >= 200 && res.status < 300) {
    setImmediate(() => process.kill(process.pid, 'SIGKILL'));
  }
  return res;
};
