import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Makes the store runnable by a plain `node` child process (crash and concurrency tests):
 * transpiles app/store/index.ts and everything it imports (relative imports only) to a temp
 * folder, as ESM, with a node_modules link so better-sqlite3 and zod resolve. Independent of
 * `npm run build`, and only the store's own import closure is compiled, so files other people
 * are half-way through cannot break it.
 */
export interface CompiledStore {
  /** file:// URL of the compiled app/store/index.js, for `import()` in the child. */
  storeUrl: string;
  cleanup(): void;
}

const repoRoot = resolve(import.meta.dirname, '..', '..');

export function compileStore(entry = 'app/store/index.ts'): CompiledStore {
  const outDir = mkdtempSync(join(tmpdir(), 'folio-compiled-store-'));
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(join(repoRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');

  const pending = [resolve(repoRoot, entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    for (const imported of ts.preProcessFile(source, true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      pending.push(resolve(dirname(file), imported.fileName.replace(/\.js$/, '.ts')));
    }
    const output = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        verbatimModuleSyntax: false,
      },
    }).outputText;
    const target = join(outDir, relative(repoRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
  }
  return {
    storeUrl: new URL(`file://${join(outDir, entry.replace(/\.ts$/, '.js'))}`).href,
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
