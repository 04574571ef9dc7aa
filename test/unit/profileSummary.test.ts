// bench/profileSummary.ts: self time of a V8 CPU profile by package (our files by path) and by
// function, as shares of the busy time (idle left out).
import { describe, expect, it } from 'vitest';
import { categoryOf, summarise } from '../../bench/profileSummary.js';

describe('profile summary', () => {
  it('names packages, our files, Node and V8 work', () => {
    expect(categoryOf('file:///w/node_modules/graphql/execution/execute.js', 'executeField')).toBe('graphql');
    expect(categoryOf('file:///w/node_modules/@apollo/server/dist/esm/runHttpQuery.js', 'x')).toBe('@apollo/server');
    expect(categoryOf('file:///w/src/services/ledger/ledger.ts', 'postTransfers')).toBe('src/services/ledger/ledger.ts');
    expect(categoryOf('node:internal/stream_base_commons', 'writevGeneric')).toBe('node:internal');
    expect(categoryOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(categoryOf('', 'writev')).toBe('(native)');
  });

  it('adds self time per node from the samples and leaves idle out', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
    const summary = summarise({
      nodes: [
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('executeField', 'file:///w/node_modules/graphql/execute.js') },
        { id: 3, callFrame: frame('(garbage collector)') },
      ],
      samples: [1, 2, 2, 3, 1],
      timeDeltas: [1000, 300, 300, 400, 5000],
    });
    expect(summary.busyMs).toBe(1);
    expect(summary.categories).toEqual([
      { name: 'graphql', share: 0.6 },
      { name: '(garbage collector)', share: 0.4 },
    ]);
    expect(summary.functions[0]!.name).toBe('executeField graphql:1');
  });
});
