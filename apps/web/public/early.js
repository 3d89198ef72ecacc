/**
 * Candor: runs before the app's code has downloaded (a classic script in <head>, allowed by the
 * CSP as same-origin). It asks who is signed in; on a team page it also sends the two trend
 * requests at once and asks the browser to fetch the team page's code (chunk names are written
 * into index.html at build time, in the script tag's data-team-chunks), so that the first chart
 * waits for neither. At start-up the app hands the requests to its query client (adoptEarlyRequests
 * in src/app/early-requests.ts), which is the only cache from then on; see docs/benchmarks.md.
 */
/* global window, document */
(function () {
  'use strict';
  if (typeof window.fetch !== 'function') return;
  var early = (window.__candorEarly = window.__candorEarly || {});
  function send(path) {
    var response = window.fetch('/api' + path, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json' },
    });
    response.catch(function () {}); // reported when the app takes the request over
    early[path] = { at: Date.now(), response: response };
  }
  // Every page starts by asking who is signed in (meQuery in src/features/auth/api.ts).
  send('/auth/me');
  var match = /^\/teams\/([^/]+)\/?$/.exec(window.location.pathname);
  if (!match) return;
  var team;
  try {
    team = encodeURIComponent(decodeURIComponent(match[1]));
  } catch {
    return; // the app shows its not-found page
  }
  ['psych-safety', 'trust-equation'].forEach(function (instrument) {
    send('/teams/' + team + '/trend?instrument=' + instrument);
  });
  var script = document.currentScript;
  var chunks = ((script && script.getAttribute('data-team-chunks')) || '').split(' ');
  chunks.forEach(function (file) {
    if (!/^assets\/[\w.-]+\.js$/.test(file)) return;
    var link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = '/' + file;
    document.head.appendChild(link);
  });
})();
