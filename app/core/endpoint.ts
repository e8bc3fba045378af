/**
 * One end of a message channel, whatever carries it (a Node IPC channel, an Electron
 * MessagePort or parentPort, a worker_threads port in tests): what it sends and how it hears.
 */
export interface Endpoint<In, Out> {
  post(message: Out): void;
  onMessage(fn: (message: In) => void): void;
}
