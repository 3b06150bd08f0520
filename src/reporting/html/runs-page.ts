import { embedJson, renderPage } from './report-page.js';

/** One run in `sop view`'s list. */
export interface RunsPageRow {
  id: string;
  sop: string;
  status: string;
  started: string;
  rounds: number;
  exitCode: number | null;
  /** The run's page, relative to the list. */
  href: string;
}

/** `sop view`'s list of runs, newest first, reloaded when the runs folder changes. */
export function renderRunsPage(runs: readonly RunsPageRow[], runsDir: string, eventsUrl: string): string {
  return withLiveReload(renderPage(`sop view: ${runsDir}`, 'runs-data', { runsDir, runs }, RUNS_APP_JS, '<header id="summary"></header><main id="sections"></main>'), eventsUrl);
}

/**
 * A page that reloads itself when the server says its data changed (server-sent events; the URL's
 * hash, which names what is open, survives the reload). Used only for pages `sop view` serves.
 */
export function withLiveReload(html: string, eventsUrl: string): string {
  const script = `<script>(function () { var source = new EventSource(${embedJson(eventsUrl)}); source.addEventListener('change', function () { source.close(); location.reload(); }); })();</script>`;
  return html.replace(/<\/body>\s*<\/html>\s*$/, `${script}\n</body>\n</html>\n`);
}

/** Draws the list from the embedded data (text as `textContent` only; no backquotes: it lives in a template literal). */
const RUNS_APP_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('runs-data').textContent);
  function cell(text) { var td = document.createElement('td'); td.textContent = text; return td; }
  var header = document.getElementById('summary');
  var title = document.createElement('h1');
  title.textContent = 'Runs in ' + data.runsDir;
  header.appendChild(title);
  var table = document.createElement('table');
  table.id = 'runs';
  var head = document.createElement('tr');
  ['run', 'SOP', 'status', 'started', 'rounds', 'exit'].forEach(function (t) { var th = document.createElement('th'); th.textContent = t; head.appendChild(th); });
  table.appendChild(head);
  data.runs.forEach(function (run) {
    var tr = document.createElement('tr');
    var link = document.createElement('a');
    link.href = run.href;
    link.textContent = run.id;
    var first = document.createElement('td');
    first.appendChild(link);
    tr.appendChild(first);
    tr.appendChild(cell(run.sop));
    var status = cell(run.status);
    status.className = 'status ' + run.status;
    tr.appendChild(status);
    tr.appendChild(cell(run.started));
    tr.appendChild(cell(run.exitCode === null ? '-' : run.rounds));
    tr.appendChild(cell(run.exitCode === null ? '-' : run.exitCode));
    table.appendChild(tr);
  });
  var main = document.getElementById('sections');
  if (data.runs.length === 0) { var p = document.createElement('p'); p.className = 'muted'; p.textContent = 'No runs yet: this page updates when one starts.'; main.appendChild(p); }
  main.appendChild(table);
})();
`;
