/** `report.html` of a run (and of an eval): data from the run journal, an inline SVG team graph, one self-contained page. */
export { buildReportData, type ReportContext, type ReportData } from './report-data.js';
export { edgeKey, renderGraphSvg, type NodeMark } from './graph-svg.js';
export { renderReportPage, embedJson } from './report-page.js';
export { renderEvalPage, type EvalPageData } from './eval-page.js';
export { renderRunsPage, withLiveReload } from './runs-page.js';
