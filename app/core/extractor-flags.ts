/**
 * What an extraction process is started with, whichever launcher starts it: a Node child
 * process (app/capture/extract-process.ts) or an Electron utility process (main/extract-broker.ts).
 * Here in app/core, with no imports, so main can build the same flags without loading the
 * capture code.
 */
export interface ExtractorLimits {
  /** V8 old-generation cap. */
  maxHeapMb: number;
  /** V8 semi-space size (the young generation is about three of them). */
  semiSpaceMb: number;
  /** Scheduling niceness (0 normal, 19 lowest); see ExtractPoolOptions.niceness. */
  niceness: number;
  /** Threads V8 may use beside the process's own for garbage collection; see ExtractPoolOptions.v8Threads. */
  v8Threads: number;
}

/** The Node/V8 flags an extraction process starts with, whichever launcher starts it. */
export function extractorExecArgv(limits: ExtractorLimits): string[] {
  return [`--max-old-space-size=${limits.maxHeapMb}`, `--max-semi-space-size=${limits.semiSpaceMb}`, `--v8-pool-size=${limits.v8Threads}`];
}
