// A second connection that searches without pause while another process writes:
// `node search-reader-child.mjs <storeUrl> <dbPath>`. Prints "ready", then a progress line
// every 25 searches ({ searches, total } where total is what `quokka` currently finds), and
// on "stop" (stdin) a final line with every error met. Errors are collected, not thrown, so
// the parent sees exactly what went wrong (SQLITE_BUSY would show up here).
const [storeUrl, dbPath] = process.argv.slice(2);
const { openArchive } = await import(storeUrl);
const archive = openArchive(dbPath, { readonly: true });

const queries = ['library', 'archive search', '"reading list"', 'garden OR river', 'tag:batch', 'is:unread library', 'progr*', '図書館'];
const errors = [];
let searches = 0;
let stopping = false;
process.stdin.on('data', (d) => {
  if (String(d).includes('stop')) stopping = true;
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

function loop() {
  for (let i = 0; i < 5; i++) {
    try {
      const q = queries[searches % queries.length];
      const page = archive.search(q, { limit: 20 });
      if (!Array.isArray(page.items)) throw new Error('search returned no page');
      archive.listArticles({ limit: 20 });
      searches++;
      if (searches % 25 === 0) {
        process.stdout.write(`${JSON.stringify({ searches, total: archive.search('quokka').total })}\n`);
      }
    } catch (err) {
      errors.push({ code: err?.code ?? null, message: String(err?.message ?? err) });
    }
  }
  if (stopping) {
    const total = archive.search('quokka').total;
    archive.close();
    process.stdout.write(`${JSON.stringify({ done: true, searches, errors, total })}\n`);
    process.exit(0);
  }
  setImmediate(loop);
}
loop();
