/** `report.html` of a run (and of an eval): data from the run journal, an inline SVG team graph, one self-contained page. */
export { buildReportData, type ReportContext, type ReportData, type RunProgress } from './report-data.js';
export { edgeKey, renderGraphSvg, type NodeMark, type ReportGraph } from './graph-svg.js';
export { renderReportPage, renderPage, embedJson } from './report-page.js';
export { renderEvalPage, type EvalPageData } from './eval-page.js';
export { renderRunsPage, withLiveReload, type RunsPageRow } from './runs-page.js';
