// Loader hooks (Node 20 to 22.14, in the loader's own thread): each ES module's URL, appended to the
// file as it loads. See preload.mjs.
import { appendFileSync } from 'node:fs';

let out;

export function initialize(data) {
  out = data.out;
}

export async function load(url, context, next) {
  appendFileSync(out, `${url}\n`);
  return next(url, context);
}
