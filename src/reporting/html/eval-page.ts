import { renderPage } from './report-page.js';

/** What the eval's `report.html` shows: a case × model table whose cells link to each run's own report. */
export interface EvalPageData {
  evalId: string;
  sop: string;
  dataset: string;
  models: string[];
  cases: string[];
  runs: Array<{
    case: string;
    model: string;
    repeat: number;
    passed: boolean;
    skipped: string | undefined;
    status: string | undefined;
    score: number;
    costUsd: number;
    latencyMs: number;
    failures: string[];
    /** The rubrics the offline model scored (`judge[0] post.md`): shown as not graded. */
    notGraded: string[];
    /** The run's report.html as a URL relative to the eval's page (names percent-encoded); undefined when the run has none. */
    report: string | undefined;
  }>;
  summary: Array<{ model: string; runs: number; passed: number; passRate: number; low: number; high: number; costUsd: number; p50: number | null; p95: number | null }>;
  stopped: string | undefined;
}

/** The eval's `report.html`: one self-contained page, like a run's, linking to the runs' pages. */
export function renderEvalPage(data: EvalPageData): string {
  return renderPage(`sop eval ${data.evalId}: ${data.sop}`, 'eval-data', data, EVAL_APP_JS, '<header id="summary"></header><main id="sections"></main>');
}

/** Draws the eval page from its embedded data (text set as `textContent` only; no backquotes: it lives in a template literal). */
const EVAL_APP_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('eval-data').textContent);
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) for (var key in attrs) { if (attrs[key] === undefined || attrs[key] === null) continue; if (key === 'text') el.textContent = String(attrs[key]); else el.setAttribute(key, String(attrs[key])); }
    for (var i = 2; i < arguments.length; i++) { var c = arguments[i]; if (c === undefined || c === null) continue; (Array.isArray(c) ? c : [c]).forEach(function (x) { el.appendChild(typeof x === 'object' ? x : document.createTextNode(String(x))); }); }
    return el;
  }
  function pct(x) { return (x * 100).toFixed(1) + ' %'; }
  var header = document.getElementById('summary');
  header.appendChild(h('h1', { text: 'sop eval ' + data.evalId }));
  header.appendChild(h('div', { 'class': 'facts' }, h('span', null, 'SOP ', h('b', { text: data.sop })), h('span', null, 'dataset ', h('b', { text: data.dataset })), h('span', null, 'cases ', h('b', { text: data.cases.length })), h('span', null, 'models ', h('b', { text: data.models.length }))));
  if (data.stopped) header.appendChild(h('div', { 'class': 'why', text: data.stopped }));
  var main = document.getElementById('sections');
  main.appendChild(h('h2', { text: 'Pass rate per model' }));
  main.appendChild(h('table', { id: 'models' }, h('tr', null, ['model', 'runs', 'passed', 'pass rate', '95 % interval', 'cost', 'p50', 'p95'].map(function (t, i) { return h('th', { 'class': i ? 'num' : null, text: t }); })), data.summary.map(function (s) {
    return h('tr', null, h('td', { text: s.model }), h('td', { 'class': 'num', text: s.runs }), h('td', { 'class': 'num', text: s.passed }), h('td', { 'class': 'num', text: pct(s.passRate) }), h('td', { 'class': 'num', text: pct(s.low) + ' – ' + pct(s.high) }),
      h('td', { 'class': 'num', text: '$' + s.costUsd.toFixed(4) }), h('td', { 'class': 'num', text: s.p50 === null ? '-' : s.p50 + ' ms' }), h('td', { 'class': 'num', text: s.p95 === null ? '-' : s.p95 + ' ms' }));
  })));
  // A run's failed checks, each on its line (the first only hid the others): the first few, then how many more.
  function failureLines(failures) {
    var shown = failures.slice(0, SHOWN_FAILURES).map(function (f) { return h('div', { 'class': 'muted', text: f }); });
    if (failures.length > SHOWN_FAILURES) shown.push(h('div', { 'class': 'muted', text: 'and ' + (failures.length - SHOWN_FAILURES) + ' more (on the run\'s link, and in its report)' }));
    return shown;
  }
  var SHOWN_FAILURES = 3;
  main.appendChild(h('h2', { text: 'Cases × models' }));
  main.appendChild(h('p', { 'class': 'muted', text: 'Each cell links to the report of its run (one link per repeat).' }));
  main.appendChild(h('table', { id: 'cases' }, h('tr', null, h('th', { text: 'case' }), data.models.map(function (m) { return h('th', { text: m }); })), data.cases.map(function (name) {
    return h('tr', null, h('td', { text: name }), data.models.map(function (model) {
      var runs = data.runs.filter(function (r) { return r.case === name && r.model === model; });
      return h('td', { 'class': 'cell' }, runs.map(function (r) {
        var label = r.skipped ? 'skipped' : (r.passed ? '✓ passed' : '✗ failed') + (r.status ? ' (' + r.status + ')' : '');
        var ungraded = r.notGraded && r.notGraded.length ? 'not graded (offline model): ' + r.notGraded.join(', ') : null;
        var title = r.skipped || (r.failures.length ? r.failures.join('\n') : 'score ' + r.score + (ungraded ? '; ' + ungraded : ''));
        var item = r.report ? h('a', { href: r.report, 'class': r.passed ? 'ok' : 'bad', title: title, text: label }) : h('span', { 'class': r.passed ? 'ok' : 'bad', title: title, text: label });
        return h('div', null, runs.length > 1 ? '#' + r.repeat + ' ' : '', item, failureLines(r.failures), ungraded ? h('div', { 'class': 'muted', text: ungraded }) : null);
      }));
    }));
  })));
})();
`;
