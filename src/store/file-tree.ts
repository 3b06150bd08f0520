/**
 * A list of `/`-separated file names as a tree of folders, each name written once: `{"docs":
 * {"prd.md": 0}, "README.md": 0}` (a file is 0, a folder an object). The journal's
 * `workspace-files` line keeps an incremental run's inventory so: a folder's path is not repeated
 * for each of its files.
 */
export type FileTree = { [name: string]: 0 | FileTree };

export function fileTree(files: readonly string[]): FileTree {
  const root: FileTree = Object.create(null) as FileTree;
  for (const file of files) {
    const parts = file.split('/');
    const name = parts.pop() as string;
    let folder = root;
    for (const part of parts) {
      const next = folder[part];
      folder = typeof next === 'object' ? next : (folder[part] = Object.create(null) as FileTree);
    }
    folder[name] = 0;
  }
  return root;
}

/** The names of a tree's files, in its order; undefined when the value is not such a tree (a damaged line). */
export function treeFiles(tree: unknown): string[] | undefined {
  const files: string[] = [];
  const walk = (folder: unknown, prefix: string): boolean => {
    if (typeof folder !== 'object' || folder === null || Array.isArray(folder)) return false;
    for (const [name, entry] of Object.entries(folder)) {
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      if (entry === 0) files.push(relative);
      else if (!walk(entry, relative)) return false;
    }
    return true;
  };
  return walk(tree, '') ? files : undefined;
}
