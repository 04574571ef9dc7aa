// Sanctions screening of people's names against a list file (config/sanctions.txt, or
// SANCTIONS_LIST_FILE). Names are normalised (accents, case, punctuation and word order do not
// matter) and compared fuzzily, so "Sanctionov, Ivan T." or a one-letter misspelling still hits.
// A hit is a case for a human, never a verdict: the caller freezes and opens an AML case.
import { readFileSync } from 'node:fs';
import { distance } from 'fastest-levenshtein';

export interface SanctionsHit {
  /** The list entry it matched. */
  entry: string;
  /** 0..1; 1 is the same normalised name. */
  score: number;
}

export interface SanctionsScreen {
  screen(name: string): SanctionsHit | null;
  readonly size: number;
}

/** Lower case, no accents, letters only, words sorted: what a name looks like to the matcher. */
export function normaliseName(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 1)
    .sort();
}

const similarity = (a: string, b: string) => (a.length || b.length ? 1 - distance(a, b) / Math.max(a.length, b.length) : 1);

/** How well `name` matches one list entry: the whole names, or every word of one found in the other. */
export function matchScore(name: string[], entry: string[]): number {
  if (!name.length || !entry.length) return 0;
  const whole = similarity(name.join(' '), entry.join(' '));
  // Every word of the shorter name close to some word of the longer (a middle name left out, an
  // initial added): the weakest of those word matches is the score.
  const [short, long] = name.length <= entry.length ? [name, entry] : [entry, name];
  const words = short.length >= 2 ? Math.min(...short.map((w) => Math.max(...long.map((l) => similarity(w, l))))) : 0;
  return Math.max(whole, words);
}

/** A hit needs this score: one letter wrong in a name of ten or so still matches. */
export const MATCH_THRESHOLD = 0.85;

export function loadSanctionsList(path: string): SanctionsScreen {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the sanctions list ${path} (${(err as Error).message}). Point SANCTIONS_LIST_FILE at it.`);
  }
  const entries = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((entry) => ({ entry, words: normaliseName(entry) }));
  return {
    size: entries.length,
    screen(name) {
      const words = normaliseName(name);
      let best: SanctionsHit | null = null;
      for (const e of entries) {
        const score = matchScore(words, e.words);
        if (score >= MATCH_THRESHOLD && (!best || score > best.score)) best = { entry: e.entry, score };
      }
      return best;
    },
  };
}
