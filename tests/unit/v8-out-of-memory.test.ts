import { describe, expect, it } from 'vitest';
import { childStderr } from '../../app/core/v8-out-of-memory.js';

/** V8's report when a heap cap is reached, as a process with --max-old-space-size prints it. */
const OOM_REPORT = `
<--- Last few GCs --->

[4242:0x6a1c000]      812 ms: Mark-Compact 46.8 (50.1) -> 46.1 (50.3) MB, 120.11 / 0.00 ms  (average mu = 0.21) allocation failure; scavenge might not succeed

<--- JS stacktrace --->

FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
 1: 0xb8a0b0 node::Abort() [node]
 2: 0xa9f2c5  [node]
`;

function reader() {
  const passed: string[] = [];
  return { passed, stderr: childStderr((text) => passed.push(text)) };
}

describe('an extraction process\'s stderr', () => {
  it('is passed on as it comes while the process is well', () => {
    const { passed, stderr } = reader();
    stderr.take('(node:4242) Warning: something worth knowing\n');
    stderr.take('another line\n');
    expect(passed).toEqual(['(node:4242) Warning: something worth knowing\n', 'another line\n']);
    expect(stderr.finish()).toEqual({ outOfMemory: false });
    expect(passed).toHaveLength(2);
  });

  it("holds V8's out-of-memory report back and says the process ran out of memory", () => {
    const { passed, stderr } = reader();
    stderr.take('a warning before\n');
    // The report arrives in pieces, the first sharing its chunk with ordinary output.
    const cut = OOM_REPORT.indexOf('FATAL ERROR');
    stderr.take('tail of a line\n' + OOM_REPORT.slice(0, 40));
    stderr.take(OOM_REPORT.slice(40, cut + 20));
    stderr.take(OOM_REPORT.slice(cut + 20));
    expect(stderr.finish()).toEqual({ outOfMemory: true });
    // Only what precedes the report's first line (its leading blank line included) is passed on.
    expect(passed).toEqual(['a warning before\n', 'tail of a line\n\n']);
  });

  it('knows the out-of-memory report by its native frames when the header and FATAL ERROR line are missing', () => {
    // As a CI run received it: blank lines, then the native stack trace alone, longer than 4 KB.
    const frames = [
      ' 1: 0xb78db3 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [folio-extract]',
      ' 2: 0xee8300 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [folio-extract]',
      ' 3: 0xee85e7 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [folio-extract]',
      ...Array.from({ length: 60 }, (_, i) => ` ${i + 4}: 0x10fb205 v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace) [folio-extract]`),
    ];
    const { passed, stderr } = reader();
    stderr.take('\n\n\n----- Native stack trace -----\n\n');
    for (const frame of frames) stderr.take(`${frame}\n`);
    expect(stderr.finish()).toEqual({ outOfMemory: true });
    expect(passed).toEqual(['\n\n\n']);
  });

  it('passes on a fatal error or native stack trace that is not about memory, at exit', () => {
    for (const report of [
      'FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal\n 1: 0xb8a0b0 node::Abort() [node]\n',
      '----- Native stack trace -----\n 1: 0xb8a0b0 node::Abort() [node]\n',
    ]) {
      const { passed, stderr } = reader();
      stderr.take(report);
      expect(passed).toEqual([]);
      expect(stderr.finish()).toEqual({ outOfMemory: false });
      expect(passed).toEqual([report]);
    }
  });

  it('keeps only the last 4 KB of a long report', () => {
    const { passed, stderr } = reader();
    stderr.take('FATAL ERROR: something else\n' + 'x'.repeat(10_000));
    stderr.finish();
    expect(passed).toHaveLength(1);
    expect(passed[0]!.length).toBe(4096);
  });
});
