/**
 * The browser side of `report.html`: its style sheet and a small vanilla script that draws every
 * section from the JSON the page embeds (`<script type="application/json" id="report-data">`).
 * Kept as strings here so the page is one self-contained file wherever the package is installed
 * or bundled (no file to find at run time, no network). Text from the run (prompts, answers,
 * payloads) is only ever set as `textContent`, never parsed as HTML. Long lists are shown a page at
 * a time and a call's prompt and answer are built when first opened, so a 500-round run opens fast.
 * (No backquotes in the script below: it lives in a template literal.)
 */

export const REPORT_CSS = String.raw`
:root { --fg:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#fff; --soft:#f6f8fa; --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --accent:#0969da; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif; color:var(--fg); background:var(--bg); }
header { padding:16px 24px; border-bottom:1px solid var(--line); background:var(--soft); }
h1 { font-size:20px; margin:0 0 6px; } h2 { font-size:17px; margin:28px 0 10px; } h3 { font-size:15px; margin:16px 0 6px; }
nav { position:sticky; top:0; z-index:2; background:var(--bg); border-bottom:1px solid var(--line); padding:6px 24px; display:flex; gap:14px; flex-wrap:wrap; }
nav a { color:var(--accent); text-decoration:none; } nav a:hover { text-decoration:underline; }
main { padding:0 24px 48px; max-width:1400px; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-weight:600; color:#fff; background:var(--muted); }
.badge.completed, .badge.ok { background:var(--ok); } .badge.failed, .badge.bad, .badge.gate_stopped { background:var(--bad); }
.badge.round_limit, .badge.stalled, .badge.budget_exhausted, .badge.awaiting_approval, .badge.interrupted, .badge.warn { background:var(--warn); }
.facts { display:flex; gap:18px; flex-wrap:wrap; color:var(--muted); margin-top:6px; } .facts b { color:var(--fg); }
.why { margin-top:10px; padding:8px 12px; border-left:4px solid var(--bad); background:#fff; } .why.fine { border-color:var(--ok); }
code, pre { font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
pre { white-space:pre-wrap; word-break:break-word; background:var(--soft); border:1px solid var(--line); border-radius:6px; padding:8px; margin:4px 0; max-height:480px; overflow:auto; }
table { border-collapse:collapse; width:100%; margin:6px 0; } th, td { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); vertical-align:top; } th { background:var(--soft); }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
details { border:1px solid var(--line); border-radius:6px; margin:6px 0; padding:4px 10px; } details[open] { background:#fcfcfd; }
summary { cursor:pointer; } .muted { color:var(--muted); } .bad { color:var(--bad); } .ok { color:var(--ok); } .warn { color:var(--warn); }
.pager { display:flex; gap:8px; align-items:center; margin:6px 0; } button { font:inherit; cursor:pointer; border:1px solid var(--line); background:var(--soft); border-radius:6px; padding:2px 10px; }
button:disabled { opacity:.4; cursor:default; }
.timeline .round { display:grid; grid-template-columns:90px 1fr 80px; gap:8px; border-bottom:1px solid var(--line); padding:4px 0; }
.timeline .track { position:relative; }
.timeline .bar { position:relative; height:22px; margin:2px 0; min-width:2px; border-radius:4px; background:#ddf4ff; border:1px solid #54aeff; font-size:12px; padding:1px 6px; white-space:nowrap; overflow:visible; cursor:pointer; text-align:left; display:block; }
.timeline .bar.failed, .timeline .bar.gate-stopped { background:#ffebe9; border-color:var(--bad); } .timeline .bar.selected { outline:2px solid var(--accent); }
.timeline .bar .flags { color:var(--warn); margin-left:6px; }
.graph { overflow:auto; border:1px solid var(--line); border-radius:6px; padding:8px; background:#fff; }
.team-graph .node rect { fill:#fff; stroke:#8c959f; stroke-width:1.2; } .team-graph .node.ran rect { fill:#dafbe1; stroke:var(--ok); stroke-width:2; }
.team-graph .node.failed rect { fill:#ffebe9; stroke:var(--bad); stroke-width:2; } .team-graph .node.gate rect { stroke-dasharray:none; }
.team-graph text { font:12px system-ui,sans-serif; fill:var(--fg); } .team-graph .title { font-weight:600; }
.team-graph .edge path { fill:none; stroke:#afb8c1; stroke-width:1.2; } .team-graph .edge.dashed path { stroke-dasharray:5 4; }
.team-graph .edge.taken path { stroke:var(--accent); stroke-width:2.4; } .team-graph .edge text { font-size:11px; fill:var(--muted); }
#detail { border:2px solid var(--accent); border-radius:8px; padding:8px 14px; margin:12px 0; } #detail[hidden] { display:none; }
.msg-role { font-weight:600; color:var(--muted); }
.resumes { margin-top:10px; padding:8px 12px; border-left:4px solid var(--warn); background:#fff; } .resumes ul { margin:4px 0; }
`;

export const REPORT_APP_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PAGE = 50;
  var FOLD = 4000;

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) for (var key in attrs) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') el.textContent = String(value);
      else if (key === 'onclick') el.addEventListener('click', value);
      else el.setAttribute(key, String(value));
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function ms(n) { return n >= 1000 ? (n / 1000).toFixed(n >= 10000 ? 0 : 1) + ' s' : Math.round(n) + ' ms'; }
  function usd(n) { return n === undefined || n === null ? '-' : '$' + n.toFixed(n < 0.01 && n > 0 ? 6 : 4); }
  function int(n) { return (n || 0).toLocaleString('en'); }
  function place(action) { return action.role + (action.action ? ' / ' + action.action : ''); }
  function json(value) { return typeof value === 'string' ? value : JSON.stringify(value, null, 2); }

  /** A long text shows its start; a button unfolds the rest. */
  function longText(text, cls) {
    text = text === undefined || text === null ? '' : String(text);
    var pre = h('pre', { 'class': cls });
    if (text.length <= FOLD) { pre.textContent = text; return pre; }
    pre.textContent = text.slice(0, FOLD) + '\n…';
    var more = h('button', { text: 'show all ' + int(text.length) + ' characters', onclick: function () { pre.textContent = text; more.remove(); } });
    return h('div', null, pre, more);
  }
  /** A details element whose body is built when first opened. */
  function fold(summary, build, attrs) {
    var d = h('details', attrs, h('summary', null, summary));
    var built = false;
    d.addEventListener('toggle', function () { if (d.open && !built) { built = true; append(d, build()); } });
    return d;
  }
  /** Shows a list a page at a time. */
  // whole: the page's items rendered as one element (a table's rows under one header), else each on its own.
  function paged(items, render, container, whole) {
    var page = 0;
    var pages = Math.max(1, Math.ceil(items.length / PAGE));
    var body = h('div');
    var label = h('span', { 'class': 'muted' });
    var prev = h('button', { text: 'previous', onclick: function () { show(page - 1); } });
    var next = h('button', { text: 'next', onclick: function () { show(page + 1); } });
    function show(p) {
      page = Math.max(0, Math.min(pages - 1, p));
      body.textContent = '';
      var shown = items.slice(page * PAGE, (page + 1) * PAGE);
      append(body, whole ? whole(shown) : shown.map(render));
      label.textContent = items.length === 0 ? 'none' : 'page ' + (page + 1) + ' of ' + pages + ' (' + int(items.length) + ')';
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
    }
    container.textContent = '';
    append(container, [items.length > PAGE ? h('div', { 'class': 'pager' }, prev, label, next) : h('div', { 'class': 'muted' }, label), body]);
    show(0);
    return { showItem: function (index) { show(Math.floor(index / PAGE)); } };
  }
  function section(id, title) {
    var s = h('section', { id: id }, h('h2', { text: title }));
    document.getElementById('sections').appendChild(s);
    return s;
  }

  // Header: what ran and why it ended.
  var run = data.run || {};
  var end = data.end;
  var progress = data.progress;
  var header = document.getElementById('summary');
  append(header, h('h1', null, (run.sop || 'run') + ' ' + (run.version || '') + ' ', h('span', { 'class': 'badge ' + (end ? end.status : 'warn'), id: 'status', text: end ? end.status : progress ? progress.status : 'no end recorded' })));
  var totalCost = data.calls.reduce(function (sum, c) { return sum + (c.costUsd || 0); }, 0);
  append(header, h('div', { 'class': 'facts' },
    h('span', null, 'run ', h('b', { text: run.id })), h('span', null, 'exit ', h('b', { text: end ? end.exitCode : '-' })),
    h('span', null, 'rounds ', h('b', { text: end ? end.rounds : progress ? progress.rounds : data.rounds.length })), h('span', null, 'duration ', h('b', { text: end ? ms(end.durationMs) : '-' })),
    h('span', null, 'model calls ', h('b', { text: data.calls.length })), h('span', null, 'cost ', h('b', { text: usd(end && end.costUsd !== undefined ? end.costUsd : totalCost) })),
    h('span', null, 'model ', h('b', { text: run.model })), h('span', null, 'started ', h('b', { text: run.started }))));
  var why = h('div', { 'class': 'why' + (end && end.exitCode === 0 ? ' fine' : ''), id: 'why' });
  var answeredAfter = progress && progress.answeredAfter ? progress.answeredAfter : null;
  var committed = progress ? progress.rounds + (progress.rounds === 1 ? ' round' : ' rounds') + ' committed' + (answeredAfter ? ' and ' + answeredAfter.calls + (answeredAfter.calls === 1 ? ' model call' : ' model calls') + ' answered since (' + usd(answeredAfter.costUsd) + '), which a resume uses without asking again' : '') : '';
  if (!end && progress && progress.status === 'running') why.textContent = 'In progress: the report so far, up to the ' + committed + ' (round ' + (progress.rounds + 1) + ' is running). Build it again, or watch it with ' + data.sopCommand + ' view; the run writes its final report when it ends.';
  else if (!end && progress && progress.resumable === false) why.textContent = 'The run was killed before its start was saved (no process holds it): it cannot be resumed; start it again with ' + data.sopCommand + ' run.';
  else if (!end && progress) why.textContent = 'The run was killed before it ended (no process holds it): its journal has ' + committed + '; ' + data.resumeCommand + ' continues it.';
  else if (!end) why.textContent = 'The run has no end in its journal: it is still running, or it was killed (' + data.resumeCommand + ' continues it).';
  else if (end.error) append(why, [h('b', { text: end.error.code }), ': ' + end.error.message, end.error.hint ? h('div', { 'class': 'muted', text: 'hint: ' + end.error.hint }) : null]);
  else {
    var completed = end.rounds + (end.rounds === 1 ? ' round' : ' rounds');
    append(why, 'Ended ' + end.status + (end.stoppedInRound ? ' in round ' + end.stoppedInRound + ' (' + completed + ' completed)' : ' after ' + completed) + ' (exit ' + end.exitCode + ').');
  }
  if (end && end.reason) append(why, longText(end.reason, 'reason'));
  if (end && end.hint) append(why, h('div', { 'class': 'muted', text: 'hint: ' + end.hint }));
  if (end && end.location) append(why, h('div', null, 'in the SOP: ', h('code', { text: end.location })));
  append(header, why);
  // Each resume: the boundary it went on from and the recorded paths it did not use (a moved or copied project, a place given).
  var FOLLOWED_WHY = { moved: 'the same place within the project, which was moved or copied', given: 'the place given to sop resume' };
  if (data.resumes.length) append(header, h('div', { 'class': 'resumes', id: 'resumes' }, data.resumes.map(function (r) {
    return h('div', { 'class': 'resume' }, 'Resumed after round ' + r.round + ' (the attempt before ended ' + r.previousStatus + ')' + (r.followed.length ? ', following:' : '.'),
      r.followed.length ? h('ul', null, r.followed.map(function (f) { return h('li', { 'class': 'followed' }, f.what + ' ', h('code', { text: f.from }), ' → ', h('code', { text: f.to }), ' (' + (FOLLOWED_WHY[f.why] || f.why) + ')'); })) : null);
  })));

  // Action detail: everything one action run did, opened from the timeline, a gate or a call.
  var detail = document.getElementById('detail');
  var FINISH_MEANS = { stop: 'the model was done', length: 'cut at max_tokens: the answer is incomplete', tool_calls: 'it asked for tools', content_filter: 'refused or filtered by the provider' };
  function callView(index, open, listed) {
    var c = data.calls[index];
    var flags = [];
    if (c.attempt > 1) flags.push('attempt ' + c.attempt);
    if (c.retries.length) flags.push(c.retries.length + ' retries');
    if (c.repairs.length) flags.push('repaired');
    if (c.invalid.length) flags.push('invalid output');
    if (c.reason && c.reason.gate !== undefined) flags.push('revision after gate ' + data.gates[c.reason.gate].gate);
    if (c.reason && c.reason.invalid) flags.push('re-ask');
    if (c.cached) flags.push(c.cached);
    if (c.finishReason === 'length') flags.push('cut at max_tokens');
    var d = fold(h('span', null, h('b', { text: 'call #' + index }), ' round ' + c.round + ' · ' + place(c) + (c.index !== undefined ? ' [' + c.index + ']' : '') + ' · ' + c.purpose + ' · ' + c.model + ' · ' + int(c.promptTokens) + ' + ' + int(c.completionTokens) + ' tokens · ' + usd(c.costUsd) + ' · ' + ms(c.durationMs), flags.length ? h('span', { 'class': 'warn', text: ' · ' + flags.join(' · ') }) : null), function () {
      var parts = [];
      if (c.reason && c.reason.gate !== undefined) {
        var g = data.gates[c.reason.gate];
        parts.push(h('p', null, 'Why this call: gate ', h('b', { text: g.gate }), ' failed and asked for a revision:'), longText(g.feedback, 'feedback'));
      }
      if (c.reason && c.reason.invalid) parts.push(h('p', { text: 'Why this call: the previous answer was refused:' }), longText(c.reason.invalid.join('\n')));
      parts.push(h('h3', { text: 'Prompt' }));
      if (c.prompt) c.prompt.forEach(function (m, i) {
        parts.push(h('div', { 'class': 'prompt-message' }, h('span', { 'class': 'msg-role', text: m.role + (m.toolName ? ' (' + m.toolName + ')' : '') }), longText(m.content + (m.toolCalls ? '\n' + json(m.toolCalls) : ''), 'prompt')));
      });
      else parts.push(h('p', { 'class': 'muted', text: 'Prompt not recorded: run with --event-prompts to keep the rendered messages. What it was built from is in the trigger message and the gate feedback above.' }));
      if (c.finishReason) parts.push(h('p', { 'class': c.finishReason === 'stop' || c.finishReason === 'tool_calls' ? 'muted' : 'warn', text: 'Finish reason: ' + c.finishReason + (FINISH_MEANS[c.finishReason] ? ' (' + FINISH_MEANS[c.finishReason] + ')' : '') }));
      parts.push(h('h3', { text: 'Answer' }), c.answer !== undefined ? longText(c.answer, 'answer') : h('p', { 'class': 'muted', text: 'not in the run journal' }));
      if (c.repairs.length) parts.push(h('p', { 'class': 'warn', text: 'Repaired: ' + c.repairs.join('; ') }));
      if (c.invalid.length) parts.push(h('p', { 'class': 'bad', text: 'Refused (re-asked): ' + c.invalid.join('; ') }));
      if (c.retries.length) parts.push(h('p', { 'class': 'warn', text: 'Retries: ' + c.retries.map(function (r) { return 'attempt ' + r.attempt + ' ' + r.code + (r.status ? ' ' + r.status : '') + ', waited ' + ms(r.delayMs); }).join('; ') }));
      return parts;
    }, { 'class': 'call', id: listed ? 'call-' + index : null, 'data-call': index });
    if (open) d.open = true;
    return d;
  }
  function gateRow(index) {
    var g = data.gates[index];
    return h('tr', { 'class': 'gate-row', 'data-gate': index },
      h('td', { text: g.round }), h('td', null, h('a', { href: '#action-' + g.actionRun, text: place(g) + (g.index !== undefined ? ' [' + g.index + ']' : '') })),
      h('td', { text: g.gate + ' (' + g.kind + ')' }), h('td', { 'class': g.passed ? 'ok' : 'bad', text: (g.passed ? 'passed' : 'failed → ' + g.onFail) + (g.score !== undefined ? ' · score ' + g.score : '') }),
      h('td', { 'class': 'num', text: g.attempt }), h('td', null, g.feedback ? fold('feedback', function () { return longText(g.feedback, 'feedback'); }, { 'class': 'gate-feedback' }) : ''),
      h('td', null, g.revision !== undefined ? h('a', { href: '#call-' + g.revision, text: 'call #' + g.revision }) : ''), h('td', null, g.location ? h('code', { text: g.location }) : ''));
  }
  function gateTable(indexes) {
    return h('table', null, h('tr', null, ['round', 'action', 'gate', 'result', 'attempt', 'feedback', 'revision', 'SOP'].map(function (t) { return h('th', { text: t }); })), indexes.map(gateRow));
  }
  function messageView(m, listed) {
    return fold(h('span', null, h('b', { text: m.id }), ' ' + m.type + ' · ' + m.from + ' → ' + (m.recipients.length ? m.recipients.join(', ') : (m.to || 'nobody')) + ' · round ' + m.round + (m.cause ? ' · cause ' + m.cause : '')), function () {
      return [h('h3', { text: 'Content' }), longText(m.content), m.payload !== null ? [h('h3', { text: 'Payload' }), longText(json(m.payload))] : null];
    }, { 'class': 'message', id: listed ? 'message-' + m.id : null });
  }
  // An output is written before its gates check it: an action that stopped before they decided leaves drafts (report.json's pendingArtifacts),
  // one its gates stopped or routed leaves rejected ones (rejectedArtifacts).
  function filesHeading(a) {
    if (a.outcome === 'published') return 'Files written';
    if (a.outcome === 'routed' || a.outcome === 'gate-stopped') return 'Files rejected (written for its gates, which ' + (a.outcome === 'routed' ? 'routed' : 'stopped') + ' the output: drafts left in the workspace, not kept)';
    return 'Files pending (written for its gates, never accepted: the action ' + (a.outcome || 'did not finish') + ')';
  }
  function showAction(index) {
    var a = data.actions[index];
    if (!a) return;
    detail.hidden = false;
    detail.textContent = '';
    var trigger = data.messages.filter(function (m) { return m.id === a.message; })[0];
    append(detail, [
      h('h2', { text: 'round ' + a.round + ': ' + place(a) }),
      h('div', { 'class': 'facts' }, h('span', null, 'outcome ', h('b', { text: a.outcome || 'unfinished' })), h('span', null, 'took ', h('b', { text: ms(a.durationMs) })),
        a.retries ? h('span', { 'class': 'warn', text: a.retries + ' retries, ' + ms(a.waitedMs) + ' waited (rate limits, errors)' }) : null,
        a.location ? h('span', null, 'declared at ', h('code', { text: a.location })) : null),
      a.reasons.length ? h('p', null, h('b', { text: 'Why the role ran it: ' }), a.reasons.join('; ')) : null,
      h('h3', { text: 'Trigger message' }), trigger ? messageView(trigger) : h('p', { 'class': 'muted', text: a.message || 'none' }),
      a.calls.length ? [h('h3', { text: 'Model calls' }), a.calls.map(function (i, k) { return callView(i, k === 0); })] : null,
      a.gates.length ? [h('h3', { text: 'Gate checks' }), gateTable(a.gates)] : null,
      a.tools.length ? [h('h3', { text: 'Tool calls' }), toolTable(a.tools)] : null,
      a.skippedTools.length ? [h('h3', { text: 'MCP tools skipped (listed by their server, not offered to the model)' }), skippedTable(a.skippedTools)] : null,
      a.commands.length ? [h('h3', { text: 'Commands' }), commandTable(a.commands)] : null,
      a.artifacts.length ? [h('h3', { text: filesHeading(a) }), h('ul', null, a.artifacts.map(function (f) { return h('li', null, h('code', { text: f.path }), ' ' + int(f.bytes) + ' bytes' + (f.change ? ' (' + f.change + ')' : '')); }))] : null,
      a.published.length ? [h('h3', { text: 'Published' }), a.published.map(function (id) { var m = data.messages.filter(function (x) { return x.id === id; })[0]; return m ? messageView(m) : null; })] : null,
    ]);
    document.querySelectorAll('.bar.selected').forEach(function (b) { b.classList.remove('selected'); });
    var bar = document.querySelector('.bar[data-action="' + index + '"]');
    if (bar) bar.classList.add('selected');
    detail.scrollIntoView({ block: 'start' });
  }
  function toolTable(indexes) {
    return h('table', null, h('tr', null, ['round', 'action', 'tool', 'arguments', 'result', 'took'].map(function (t) { return h('th', { text: t }); })), indexes.map(function (i) {
      var t = data.tools[i];
      return h('tr', null, h('td', { text: t.round }), h('td', { text: place(t) }), h('td', null, h('code', { text: t.tool })), h('td', null, longText(t.arguments)),
        h('td', { 'class': t.ok ? 'ok tool-result' : 'bad' }, t.ok === undefined ? 'unfinished' : t.ok ? ['ok, ' + int(t.resultBytes) + ' bytes', toolResult(t)] : longText(t.error || 'failed'), t.detail ? h('div', { 'class': 'muted', text: json(t.detail) }) : null), h('td', { 'class': 'num', text: ms(t.durationMs) }));
    }));
  }
  function skippedTable(indexes) {
    return h('table', { 'class': 'skipped-tools' }, h('tr', null, ['round', 'action', 'server', 'tool', 'why'].map(function (t) { return h('th', { text: t }); })), indexes.map(function (i) {
      var s = data.skippedTools[i];
      return h('tr', { 'class': 'skipped-tool' }, h('td', { text: s.round }), h('td', null, s.actionRun !== undefined ? h('a', { href: '#action-' + s.actionRun, text: place(s) }) : place(s)),
        h('td', { text: s.server }), h('td', null, h('code', { text: s.tool })), h('td', { text: s.reason }));
    }));
  }
  function toolResult(t) {
    if (t.result !== undefined) return longText(t.result, 'result');
    return h('div', { 'class': 'muted', text: 'result not recorded: run with --event-prompts to keep what each tool gave the model' });
  }
  function commandTable(indexes) {
    return h('table', null, h('tr', null, ['round', 'action', 'command', 'gate', 'exit', 'took'].map(function (t) { return h('th', { text: t }); })), indexes.map(function (i) {
      var c = data.commands[i];
      return h('tr', null, h('td', { text: c.round }), h('td', { text: place(c) }), h('td', null, h('code', { text: c.argv.join(' ') })), h('td', { text: c.gate || '' }),
        h('td', { 'class': c.passed ? 'ok' : 'bad', text: c.timedOut ? 'timed out' : c.exitCode === undefined ? (c.stopped || 'unfinished') : c.exitCode }), h('td', { 'class': 'num', text: ms(c.durationMs) }));
    }));
  }

  // Timeline: one row per round, each action run a bar placed by when it started and how long it took.
  var timeline = section('timeline', 'Timeline');
  append(timeline, h('p', { 'class': 'muted', text: 'Each row is a round; actions of one round run side by side. Click an action to see its prompt, answer, gates and tools.' }));
  var rows = h('div', { 'class': 'timeline' });
  timeline.appendChild(rows);
  paged(data.rounds, function (r) {
    var span = Math.max(r.durationMs, 1);
    return h('div', { 'class': 'round', 'data-round': r.round }, h('div', null, h('b', { text: 'round ' + r.round })), h('div', { 'class': 'track' }, r.actions.map(function (i) {
      var a = data.actions[i];
      var left = Math.min(95, Math.max(0, (a.startMs - r.startMs) / span * 100));
      var width = Math.max(1, Math.min(100 - left, a.durationMs / span * 100));
      var flags = [];
      if (a.retries) flags.push('↻' + a.retries + ' wait ' + ms(a.waitedMs));
      var revisions = a.gates.filter(function (g) { return !data.gates[g].passed; }).length;
      if (revisions) flags.push(revisions + ' gate failure' + (revisions > 1 ? 's' : ''));
      if (a.skippedTools.length) flags.push(a.skippedTools.length + ' MCP tool' + (a.skippedTools.length > 1 ? 's' : '') + ' skipped');
      return h('button', { 'class': 'bar ' + (a.outcome || ''), 'data-action': i, style: 'margin-left:' + left.toFixed(1) + '%;width:' + width.toFixed(1) + '%', title: place(a) + ' · ' + ms(a.durationMs) + ' · ' + (a.outcome || 'unfinished'),
        onclick: function () { location.hash = 'action-' + i; } }, place(a) + ' · ' + ms(a.durationMs), flags.length ? h('span', { 'class': 'flags', text: flags.join(' · ') }) : null);
    })), h('div', { 'class': 'muted', text: ms(r.durationMs) }));
  }, rows);
  timeline.appendChild(detail);

  // Team graph.
  var graph = section('graph', 'Team graph');
  append(graph, h('p', { 'class': 'muted', text: 'Green: roles that ran and gates that passed; red: gates that failed at least once; bold blue edges: the path the run took (messages delivered, gates checked, revisions).' }));
  var canvas = h('div', { 'class': 'graph' });
  if (data.graphSvg) canvas.innerHTML = data.graphSvg;
  else canvas.textContent = data.graphNote || 'no graph';
  graph.appendChild(canvas);

  // Model calls, messages, gates, tools.
  var calls = section('calls', 'Model calls');
  if (!data.promptsRecorded && data.calls.length) append(calls, h('p', { 'class': 'muted', text: 'Prompts were not recorded for this run (' + data.sopCommand + ' run --event-prompts records them); answers, triggers and gate feedback are shown.' }));
  var callList = h('div');
  calls.appendChild(callList);
  var callPager = paged(data.calls.map(function (_, i) { return i; }), function (i) { return callView(i, false, true); }, callList);

  var messages = section('messages', 'Messages');
  var messageList = h('div');
  messages.appendChild(messageList);
  var messagePager = paged(data.messages, function (m) { return messageView(m, true); }, messageList);

  var gates = section('gates', 'Gate checks');
  var gateList = h('div');
  gates.appendChild(gateList);
  // One table per page: a table per check repeated the header on every row, its columns not lined up.
  paged(data.gates.map(function (_, i) { return i; }), gateRow, gateList, gateTable);

  var tools = section('tools', 'Tool calls and commands');
  append(tools, data.tools.length ? toolTable(data.tools.map(function (_, i) { return i; })) : h('p', { 'class': 'muted', text: 'no tool calls' }));
  if (data.skippedTools.length) append(tools, [h('h3', { text: 'MCP tools skipped (listed by their server, not offered to the model)' }), skippedTable(data.skippedTools.map(function (_, i) { return i; }))]);
  append(tools, data.commands.length ? commandTable(data.commands.map(function (_, i) { return i; })) : h('p', { 'class': 'muted', text: 'no commands' }));

  var usage = section('usage', 'Cost and tokens');
  function usageTable(title, rows) {
    return [h('h3', { text: title }), h('table', null, h('tr', null, ['', 'calls', 'prompt tokens', 'completion tokens', 'cost', 'time'].map(function (t, i) { return h('th', { 'class': i ? 'num' : null, text: t }); })),
      rows.map(function (r) { return h('tr', null, h('td', { text: r.key }), h('td', { 'class': 'num', text: int(r.calls) }), h('td', { 'class': 'num', text: int(r.promptTokens) }), h('td', { 'class': 'num', text: int(r.completionTokens) }), h('td', { 'class': 'num', text: usd(r.costUsd) }), h('td', { 'class': 'num', text: ms(r.durationMs) })); }))];
  }
  append(usage, [usageTable('By role', data.totals.byRole), usageTable('By action', data.totals.byAction), usageTable('By model', data.totals.byModel)]);

  var problems = section('problems', 'Errors and warnings');
  append(problems, data.problems.length ? h('ul', null, data.problems.map(function (p) {
    return h('li', { 'class': 'problem' }, h('b', { text: p.what }), p.round !== undefined ? ' (round ' + p.round + ')' : '', ': ' + p.text, p.location ? [' at ', h('code', { text: p.location })] : null, p.actionRun !== undefined ? [' ', h('a', { href: '#action-' + p.actionRun, text: 'open' })] : null);
  })) : h('p', { 'class': 'muted', text: 'none' }));

  // Links: #action-N opens an action run; #call-N and #message-ID page to the item and open it.
  function route() {
    var hash = decodeURIComponent(location.hash.slice(1));
    var m;
    if ((m = /^action-(\d+)$/.exec(hash))) showAction(Number(m[1]));
    else if ((m = /^call-(\d+)$/.exec(hash))) reveal(callPager, Number(m[1]), 'call-' + m[1]);
    else if ((m = /^message-(.+)$/.exec(hash))) reveal(messagePager, data.messages.findIndex(function (x) { return x.id === m[1]; }), 'message-' + m[1]);
  }
  function reveal(pager, index, id) {
    if (index < 0) return;
    pager.showItem(index);
    var el = document.getElementById(id);
    if (el) { el.open = true; el.scrollIntoView({ block: 'start' }); }
  }
  window.addEventListener('hashchange', route);
  route();
})();
`;
