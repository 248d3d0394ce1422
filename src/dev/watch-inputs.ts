import {existsSync, readdirSync, statSync, watch, type FSWatcher} from 'node:fs';
import path from 'node:path';

/**
 * Watch folders and every folder below them, and call `onChange` with the
 * changed paths once events have been quiet for `settleMilliseconds`: an
 * editor's save is often several events (write, rename, chmod), and one
 * rebuild serves them all. Each folder gets its own watcher rather than one
 * `recursive` watch: on Linux, Node 20's recursive watch stops reporting a
 * file once an editor has saved it by renaming a new copy over it.
 */
export function watchFolders(
  folders: readonly string[],
  onChange: (paths: string[]) => void,
  settleMilliseconds = 60,
): {close(): void} {
  const watchers = new Map<string, FSWatcher>();
  const changed = new Set<string>();
  /** The files seen in the watched folders: a path that neither exists nor did is an editor's passing temporary file. */
  const known = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const settle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...changed].sort().filter((file) => {
        if (existsSync(file)) {
          known.add(file);
          return true;
        }
        return known.delete(file);
      });
      changed.clear();
      if (!closed && paths.length > 0) onChange(paths);
    }, settleMilliseconds);
  };

  const watchTree = (folder: string): void => {
    if (closed || watchers.has(folder) || !isFolder(folder)) return;
    const watcher = watch(folder, (_event, name) => {
      const file = name ? path.join(folder, String(name)) : folder;
      if (name && isEditorFile(String(name))) return;
      // A new folder (or one renamed into place) gets watched too.
      if (name) watchTree(file);
      changed.add(file);
      settle();
    });
    // A folder removed while watched ends its watcher; the parent's watcher reports the removal.
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      if (entry.isDirectory()) watchTree(path.join(folder, entry.name));
      else known.add(path.join(folder, entry.name));
    }
  };

  for (const folder of folders) if (existsSync(folder)) watchTree(folder);
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/**
 * Editors' swap, backup, lock and save-in-progress files, which are not
 * inputs: Vim (`.x.swp`, `x~`, its `4913` probe), Emacs (`#x#`, `.#x`),
 * JetBrains (`x___jb_tmp___`), GNOME (`.goutputstream-…`), Kate
 * (`x.kate-swp`), Chromium-based editors (`x.crswap`), and `x.tmp`.
 */
export function isEditorFile(name: string): boolean {
  return /^(\.#|#)|~$|\.sw[a-px]$|^4913$|___jb_(tmp|old)___$|^\.goutputstream-|\.kate-swp$|\.crswap$|\.tmp$/.test(name);
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
