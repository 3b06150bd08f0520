// The issue #11 targets: each figure beside its limit, `met` or `NOT met`, and a closing count.

/**
 * A target row. `value` is the figure compared with `limit` (lower is better); `shown` is how the
 * figure reads; `against` names the baseline it is a ratio of, measured in the same run. A value
 * that could not be measured (an error, a platform without /proc) counts as not met.
 */
export function target(name, { value, limit, shown, against, unit = '' }) {
  const measured = Number.isFinite(value);
  return { name, value, limit, shown: measured ? shown : 'not measured', against, unit, met: measured && value <= limit };
}

export function printTargets(rows, log = console.log, title = 'issue #11 targets') {
  log(`\n${title} (figure, baseline measured in this run, target):`);
  for (const row of rows) {
    log(`  ${row.met ? 'met    ' : 'NOT met'}  ${row.name}: ${row.shown}${row.against ? `  [${row.against}]` : ''}  target ≤ ${row.limit}${row.unit}`);
  }
  log(`${rows.filter((row) => row.met).length} of ${rows.length} targets met`);
}

/** The same rows as a Markdown table (`--markdown`), for the README's "after" column. */
export function markdownTargets(rows, log = console.log) {
  log('\n| target | figure | baseline | target | met |\n| --- | --- | --- | --- | --- |');
  for (const row of rows) log(`| ${row.name} | ${row.shown} | ${row.against ?? ''} | ≤ ${row.limit}${row.unit} | ${row.met ? 'met' : 'NOT met'} |`);
  log(`| targets met | ${rows.filter((row) => row.met).length} of ${rows.length} | | | |`);
}
