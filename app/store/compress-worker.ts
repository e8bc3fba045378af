/**
 * Entry of the compression thread (compress-helper.ts starts it): compresses a batch's original
 * pages from the last one down, while the archive's thread works through the same batch from the
 * first one up, each claiming a page before compressing it (compress-shared.ts). A page the
 * archive's thread took means every page before it is taken too: the batch is done here.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { compressUtf8 } from './compress.js';
import { PageState, type CompressBatchMessage, type CompressedPageMessage } from './compress-shared.js';

const port = (workerData as { port: MessagePort }).port;

port.on('message', (message: CompressBatchMessage) => {
  const states = new Int32Array(message.states);
  const pages = Buffer.from(message.pages);
  for (let index = message.offsets.length - 1; index >= 0; index--) {
    if (Atomics.compareExchange(states, index, PageState.Waiting, PageState.Helper) !== PageState.Waiting) break;
    const start = message.offsets[index]!;
    const page = compressUtf8(pages.subarray(start, start + message.lengths[index]!));
    // A copy of its own to transfer: zlib's output may be a view of a larger (even pooled) buffer.
    const data = new Uint8Array(page.data);
    const answer: CompressedPageMessage = { batch: message.batch, index, codec: page.codec, bytes: page.bytes, data };
    // Posted before the state says so: the archive's thread, seeing Posted, finds it on the port.
    port.postMessage(answer, [data.buffer]);
    Atomics.store(states, index, PageState.Posted);
    Atomics.notify(states, index);
  }
});
