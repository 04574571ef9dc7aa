// The sanctions matcher: normalisation, fuzzy matches that must hit, near names that must not.
import { describe, expect, it } from 'vitest';
import { loadSanctionsList, matchScore, normaliseName } from '../../src/services/compliance/sanctions.js';

const list = loadSanctionsList('config/sanctions.txt');

describe('sanctions screening', () => {
  it('normalises accents, case, punctuation and word order', () => {
    expect(normaliseName('  Sánctionov, IVAN  T. ')).toEqual(['ivan', 'sanctionov']);
    expect(normaliseName('Ahmad Restricto Al-Listed')).toEqual(['ahmad', 'al', 'listed', 'restricto']);
  });

  it.each([
    ['Ivan Testovich Sanctionov', 'Ivan Testovich Sanctionov'],
    ['SANCTIONOV, Ivan', 'Ivan Testovich Sanctionov'],
    ['Ivan Sanctionow', 'Ivan Testovich Sanctionov'],
    ['Víktor Frozenkó', 'Viktor Frozenko'],
    ['Olga Prohibitova-Smith', 'Olga Prohibitova'],
    ['chen wei denylist', 'Chen Wei Denylist'],
  ])('%s hits %s', (name, entry) => {
    expect(list.screen(name)?.entry).toBe(entry);
  });

  it.each(['Ivan Petrov', 'Maria Garcia', 'Viktor Frankl', 'Olga', 'Ada Lovelace', 'Chen Wang'])('%s does not hit', (name) => {
    expect(list.screen(name)).toBeNull();
  });

  it('scores identical names 1 and unrelated ones low', () => {
    expect(matchScore(['ivan', 'sanctionov'], ['ivan', 'sanctionov'])).toBe(1);
    expect(matchScore(['ada', 'lovelace'], ['ivan', 'sanctionov'])).toBeLessThan(0.5);
    expect(list.size).toBe(6);
  });
});
