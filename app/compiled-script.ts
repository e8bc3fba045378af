import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The path of a compiled script that sits beside a module: a process or thread entry must be
 * plain JavaScript, so when the module runs from the TypeScript sources (under the test runner:
 * <root>/app/<folder>/x.ts) it is the copy in <root>/build/app/<folder>/, and when it runs
 * compiled, its own folder. The file may be missing (nothing built); callers decide what then.
 * Used by the extraction processes (capture/extract-process.ts) and the checkpoint thread
 * (store/checkpointer.ts).
 */
export function compiledSibling(moduleUrl: string, script: string): string {
  const module = fileURLToPath(moduleUrl);
  const folder = path.dirname(module);
  if (module.endsWith('.js')) return path.join(folder, `${script}.js`);
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  return path.join(root, 'build', path.relative(root, folder), `${script}.js`);
}
