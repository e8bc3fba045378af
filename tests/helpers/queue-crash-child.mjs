// A process that uses the archive the way Folio does and then dies without warning:
// `node queue-crash-child.mjs <storeUrl> <dbPath>`. It queues 50 inputs, claims 3 of them
// (they become `running`), reports "ready" on stdout, then keeps queueing batches of 20 in
// one transaction each, reporting every committed batch, until the parent kills it (-9).
const [storeUrl, dbPath] = process.argv.slice(2);
const { openArchive } = await import(storeUrl);
const archive = openArchive(dbPath);

const initial = Array.from({ length: 50 }, (_, i) => ({ input: `https://crash.example/item/${i}`, batchId: 'initial' }));
archive.queue.enqueue(initial);
const claimed = [archive.queue.claimNext(), archive.queue.claimNext(), archive.queue.claimNext()].map((j) => j.jobId);
process.stdout.write(`${JSON.stringify({ ready: true, claimed })}\n`);

let batch = 0;
function more() {
  const id = `batch-${batch}`;
  archive.queue.enqueue(Array.from({ length: 20 }, (_, i) => ({ input: `https://crash.example/${id}/${i}`, batchId: id })));
  process.stdout.write(`${JSON.stringify({ committed: id })}\n`);
  batch++;
  setImmediate(more);
}
more();
