/**
 * A chain of partials that comes back to one of its own (`a → b → a`), starting from the partials a
 * template includes, and the one of those that enters it; or undefined. `includes` gives the
 * partials a partial includes.
 */
export function partialCycle(start: readonly string[], includes: (name: string) => readonly string[]): { cycle: string[]; entry: string } | undefined {
  const onPath: string[] = [];
  const done = new Set<string>();
  const visit = (names: readonly string[]): string[] | undefined => {
    for (const name of names) {
      const seen = onPath.indexOf(name);
      if (seen !== -1) return [...onPath.slice(seen), name];
      if (done.has(name)) continue;
      onPath.push(name);
      const found = visit(includes(name));
      if (found) return found;
      onPath.pop();
      done.add(name);
    }
    return undefined;
  };
  const cycle = visit(start);
  return cycle ? { cycle, entry: onPath[0] as string } : undefined;
}
