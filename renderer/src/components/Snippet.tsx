import { memo } from 'react';
import { snippetSegments } from '../lib/snippet.js';

/** A search snippet with its matches in <mark>, built as React nodes (never innerHTML). */
export const Snippet = memo(function Snippet({ text }: { text: string }) {
  return (
    <p className="row-snippet">
      {snippetSegments(text).map((seg, i) => (seg.mark ? <mark key={i}>{seg.text}</mark> : <span key={i}>{seg.text}</span>))}
    </p>
  );
});
