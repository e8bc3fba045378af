// A second writer: `node queue-writer-child.mjs <storeUrl> <dbPath>`. Queues, claims and
// completes jobs in a loop (each a write transaction) until "stop" arrives on stdin, then
// prints { done, cycles, errors }. With busy_timeout and BEGIN IMMEDIATE it must only ever wait
// for the other writer, never fail with SQLITE_BUSY.
const [storeUrl, dbPath] = process.argv.slice(2);
const { openArchive } = await import(storeUrl);
const archive = openArchive(dbPath);

const errors = [];
let cycles = 0;
let stopping = false;
process.stdin.on('data', (d) => {
  if (String(d).includes('stop')) stopping = true;
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

function loop() {
  try {
    archive.queue.enqueue([{ input: `https://writer.example/${cycles}` }]);
    const job = archive.queue.claimNext();
    if (job) archive.queue.failJob(job.jobId, { code: 'TIMEOUT', message: 'test' });
    cycles++;
  } catch (err) {
    errors.push({ code: err?.code ?? null, message: String(err?.message ?? err) });
  }
  if (stopping) {
    archive.close();
    process.stdout.write(`${JSON.stringify({ done: true, cycles, errors })}\n`);
    process.exit(0);
  }
  setImmediate(loop);
}
loop();
