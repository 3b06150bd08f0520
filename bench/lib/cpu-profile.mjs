import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `top` functions by self time in a V8 `.cpuprofile` (what `node --cpu-prof` writes): samples
 * are summed per function (name + script + line), idle time left out, locations shown relative
 * to `root` (`node_modules/...`, `dist/...`) or as `node:fs`-style built-ins.
 */
export function selfTimeTop(profile, top, root) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map();
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const { callFrame } = nodes.get(id);
    if (callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[index] ?? 0;
    totalUs += delta;
    const key = `${callFrame.functionName}|${callFrame.url}|${callFrame.lineNumber}`;
    const entry = byFunction.get(key) ?? { name: callFrame.functionName || '(anonymous)', where: where(callFrame, root), us: 0 };
    entry.us += delta;
    byFunction.set(key, entry);
  });
  const rows = [...byFunction.values()].sort((a, b) => b.us - a.us).slice(0, top)
    .map((entry) => ({ name: entry.name, where: entry.where, ms: entry.us / 1000, percent: (100 * entry.us) / totalUs }));
  return { totalMs: totalUs / 1000, rows };
}

function where({ url, lineNumber }, root) {
  if (!url) return '';
  const file = url.startsWith('file:') ? path.relative(root, fileURLToPath(url)) : url;
  return `${file}:${lineNumber + 1}`;
}
