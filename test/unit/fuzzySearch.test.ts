import * as assert from 'node:assert/strict';
import { bigramIndex, FuzzyIndex, prepareQuery, textScore, typoScore, type SearchFilter } from '../../server/src/core/fuzzySearch';
import { BUILD_SLICE_WORK, SegmentedFuzzyIndex } from '../../server/src/core/fuzzySegments';
import { hangulInitials, hangulJamo } from '../../server/src/core/hangul';
import { SeededRandom } from '../../bench/random';

interface Name {
  readonly label: string;
  readonly title?: string;
  readonly path: string;
  /** 1: attachment, 2: hidden by the user (ranked last). */
  readonly kind: number;
}

const fields = [
  { text: (name: Name) => name.label, weight: 3 },
  { text: (name: Name) => name.title, weight: 2 },
  { text: (name: Name) => name.path, weight: 2 },
];

/**
 * What the index must answer, computed the slow way: every item scored, the
 * matches sorted (score, then item order), near misses only when matches are
 * too few. Returns the answer for any limit, so each query is scored once.
 */
function everyItemScored(names: readonly Name[], query: string, filter: SearchFilter): (limit: number) => Name[] {
  const fold = (text: string | undefined) => text?.normalize('NFC').toLowerCase();
  const wanted = fold(query)!.trim();
  const prepared = prepareQuery(query);
  const scored: Array<{ index: number; score: number }> = [];
  const typos: Array<{ index: number; score: number }> = [];
  const unmatched: number[] = [];
  names.forEach((name, index) => {
    if (!filter.accept(name.kind)) return;
    let score = 0;
    for (const field of fields) {
      const text = field.text(name);
      if (text !== undefined) score = Math.max(score, textScore(text, prepared) * (field.weight / 3)); // as the index weighs fields, to the last bit
    }
    if (score > 0) scored.push({ index, score: filter.demote?.(name.kind) ? score - 2 : score });
    else unmatched.push(index);
  });
  if (wanted.length >= 3) {
    const grams = bigramIndex(wanted);
    for (const index of unmatched) {
      const score = typoScore(fold(names[index].label)!, grams);
      if (score > 0) typos.push({ index, score: filter.demote?.(names[index].kind) ? score - 2 : score });
    }
  }
  const order = (list: Array<{ index: number; score: number }>) => list.sort((a, b) => b.score - a.score || a.index - b.index);
  const matches = order([...scored]);
  const withTypos = order([...scored, ...typos]);
  return (limit) => (matches.length < limit ? withTypos : matches).slice(0, limit).map(({ index }) => names[index]);
}

const words = ['Kafka', 'stream', 'design', 'review', 'meeting', 'notes', 'index', '검색', '지표', '회의록', '설계', '데이터', '배포', 'DEVIEW', '2018', 'Line', 'a', 'ab'];
/** Names mostly Korean, mixed with Latin, as in the seed notes: for initials and composing queries. */
const koreanWords = ['제목', '제모', '발표', '발', '사용자', '속성', '추정', '값', '회의록', '검색', '데이터', '배포', 'Kafka', 'DEVIEW', '2018', '개발자', '경험', 'CI/CD', '라인', '닭'];
const folders = ['', 'projects/', 'daily/2018/', '회의/', 'archive/old/'];

function generateNames(count: number, random: SeededRandom, vocabulary: readonly string[] = words): Name[] {
  const names: Name[] = [];
  for (let i = 0; i < count; i++) {
    const wordCount = random.int(1, 4);
    const label = Array.from({ length: wordCount }, () => random.pick(vocabulary)).join(random.chance(0.8) ? ' ' : '-');
    const attachment = random.chance(0.1);
    names.push({
      label: attachment ? `${label}.png` : label,
      title: random.chance(0.2) ? `${random.pick(vocabulary)} ${random.pick(vocabulary)}` : undefined,
      path: `${random.pick(folders)}${label}${attachment ? '.png' : '.md'}`,
      kind: (attachment ? 1 : 0) | (random.chance(0.05) ? 2 : 0),
    });
  }
  return names;
}

function queriesFor(names: readonly Name[], random: SeededRandom, korean: boolean): string[] {
  const queries = ['', 'a', 'K', '검', 'zzz', 'meetign', 'strem desgin', 'kafka s', 'projects/', '2018/', 'd', 'ㄱ', '  '];
  if (korean) queries.push('ㅏㅏ', 'ㅔㅁ', 'ㅅㅇㅈ', 'ㅅ', '제모', '발ㅍ', '가', 'ㄱㅅ', 'deview ㅂㅍ', '회의ㄹ', '데이', 'ㅂ', '추저', '사용자 속');
  for (let i = 0; i < 150; i++) {
    const name = random.pick(names);
    const roll = random.next();
    if (korean && roll < 0.3) {
      // Korean as it is typed: the name's initials, or its jamo cut inside a syllable.
      const jamo = hangulJamo(name.label.normalize('NFC').toLowerCase());
      queries.push(random.chance(0.5) ? hangulInitials(name.label.toLowerCase()).slice(0, random.int(1, 6)) : jamo.slice(0, random.int(1, 9)));
    } else if (roll < 0.3) queries.push(name.label.slice(0, random.int(1, 8)));
    else if (roll < 0.5) queries.push(name.path.slice(random.int(0, 6), random.int(7, 14)));
    else if (roll < 0.7) queries.push(random.pick(name.label.split(' ')).slice(0, 3));
    else if (roll < 0.85) {
      // Letters in order: every other letter.
      queries.push([...name.label].filter((_, at) => at % 2 === 0).join('').slice(0, 5));
    } else {
      // A typo: two letters swapped.
      const text = name.label;
      const at = random.int(0, Math.max(0, text.length - 2));
      queries.push(text.slice(0, at) + text.charAt(at + 1) + text.charAt(at) + text.slice(at + 2));
    }
  }
  return queries;
}

describe('fuzzy search over names', () => {
  const filters: Record<string, SearchFilter> = {
    everything: { accept: () => true },
    'hidden files last': { accept: () => true, demote: (kind) => (kind & 2) !== 0 },
    'attachments only': { accept: (kind) => (kind & 1) !== 0 },
  };

  for (const [size, vocabulary] of [[60, words], [3000, words], [60, koreanWords], [1500, koreanWords]] as const) {
    it(`answers exactly as scoring every one of ${size} names would, for every kind of query${vocabulary === koreanWords ? ' (Korean names, typed as Koreans type)' : ''}`, function () {
      // Thousands of searches, each checked against scoring every name: seconds, more on a loaded machine.
      this.timeout(120_000);
      const random = new SeededRandom(size);
      const names = generateNames(size, random, vocabulary);
      const index = new FuzzyIndex(names, fields, (name) => name.kind);
      let compared = 0;
      for (const query of queriesFor(names, random, vocabulary === koreanWords)) {
        for (const [filterName, filter] of Object.entries(filters)) {
          const expectedFor = everyItemScored(names, query, filter);
          for (const limit of [1, 5, 50]) {
            const found = index.search(query, limit, filter).map((name) => name.path + ' ' + name.label);
            const expected = expectedFor(limit).map((name) => name.path + ' ' + name.label);
            assert.deepEqual(found, expected, `query ${JSON.stringify(query)}, ${filterName}, limit ${limit}`);
            compared++;
          }
        }
      }
      assert.ok(compared > 1000);
    });
  }

  it('scores only a small part of a large catalog for a query many names start with, or for a rare word', () => {
    const random = new SeededRandom(5);
    const names = generateNames(20000, random);
    const index = new FuzzyIndex(names, fields, (name) => name.kind);
    for (const query of ['kafka', '검색', 'DEVIEW 2018']) {
      const found = index.search(query, 50, { accept: () => true });
      assert.equal(found.length, 50);
      assert.ok(index.lastSearchScored < names.length / 10, `${query}: scored ${index.lastSearchScored} of ${names.length}`);
    }
    // A pair of letters in few names: only those are looked at.
    const rare = index.search('ab meeting', 50, { accept: () => true });
    assert.ok(rare.length > 0);
    assert.ok(index.lastSearchScored < names.length / 4, `scored ${index.lastSearchScored}`);
    // Korean being typed after a common Latin word: few names match, so the typo pass runs,
    // and common pairs (`er`, `ar`) reach most names; only those sharing enough pairs are scored.
    for (const query of ['parser 검ㅅ', 'meeting 데이ㅌ', 'release 배']) {
      index.search(query, 50, { accept: () => true });
      assert.ok(index.lastSearchScored < names.length / 10, `${query}: scored ${index.lastSearchScored} of ${names.length}`);
    }
  });

  it('ranks the name that starts with the query first, then word starts, then letters in order', () => {
    const names: Name[] = ['design review', 'Kafka stream design', 'decision', 'old designs'].map((label) => ({ label, path: `${label}.md`, kind: 0 }));
    const index = new FuzzyIndex(names, fields, (name) => name.kind);
    assert.deepEqual(
      index.search('des', 10, { accept: () => true }).map((name) => name.label),
      ['design review', 'old designs', 'Kafka stream design', 'decision'],
    );
  });

  it('finds Korean names typed in decomposed form, and near misses when nothing matches', () => {
    const names: Name[] = ['회의록 2018', '검색 지표', 'meeting notes'].map((label) => ({ label, path: `${label}.md`, kind: 0 }));
    const index = new FuzzyIndex(names, fields, (name) => name.kind);
    assert.deepEqual(
      index.search('검색'.normalize('NFD'), 10, { accept: () => true }).map((name) => name.label),
      ['검색 지표'],
    );
    assert.deepEqual(
      index.search('meetign', 10, { accept: () => true }).map((name) => name.label),
      ['meeting notes'],
    );
  });
});

describe('fuzzy search kept up to date one item at a time (segments)', () => {
  const filters: Record<string, SearchFilter> = {
    everything: { accept: () => true },
    'hidden files last': { accept: () => true, demote: (kind) => (kind & 2) !== 0 },
    'attachments only': { accept: (kind) => (kind & 1) !== 0 },
  };
  interface Item {
    readonly name: Name;
    readonly id: number;
  }
  const itemFields = fields.map((field) => ({ text: (item: Item) => field.text(item.name), weight: field.weight }));

  for (const vocabulary of [words, koreanWords]) {
    it(`answers after random adds, removals and steps exactly as one index built from scratch over what is left${vocabulary === koreanWords ? ' (Korean names)' : ''}`, function () {
      this.timeout(120_000);
      const random = new SeededRandom(vocabulary === words ? 11 : 12);
      const names = generateNames(2500, random, vocabulary);
      const index = new SegmentedFuzzyIndex<Item>(itemFields, (item) => item.name.kind, (a, b) => a.id - b.id);
      const live = new Map<number, Item>();
      let nextId = 0;
      let compared = 0;
      for (let round = 0; round < 12; round++) {
        // A burst of changes: many adds early (a vault being indexed), then adds, removals and renames mixed.
        const changes = round < 3 ? random.int(300, 900) : random.int(1, 200);
        for (let change = 0; change < changes; change++) {
          if (live.size > 0 && random.chance(round < 3 ? 0.05 : 0.45)) {
            const ids = [...live.keys()];
            const gone = live.get(ids[random.int(0, ids.length - 1)])!;
            live.delete(gone.id);
            index.remove(gone);
            // A rename: the same name comes back as a new item.
            if (random.chance(0.3)) {
              const renamed = { name: { ...gone.name, label: `${gone.name.label} ${random.pick(vocabulary)}` }, id: nextId++ };
              live.set(renamed.id, renamed);
              index.add(renamed);
            }
          } else {
            const item = { name: random.pick(names), id: nextId++ };
            live.set(item.id, item);
            index.add(item);
          }
          // Background steps of random sizes happen between changes; some segments merge, some are rebuilt.
          if (random.chance(0.02)) index.step(random.int(1, 600));
        }
        index.flush(random.int(50, 1000));
        while (random.chance(0.5) && index.hasWork) index.step(random.int(100, 2000));
        const expectedItems = [...live.values()].sort((a, b) => a.id - b.id);
        const expectedNames = expectedItems.map((item) => item.name);
        for (const query of queriesFor(expectedNames.length ? expectedNames : names, random, vocabulary === koreanWords).slice(0, 40)) {
          for (const [filterName, filter] of Object.entries(filters)) {
            const expectedFor = everyItemScored(expectedNames, query, filter);
            for (const limit of [1, 7, 50]) {
              const found = index.search(query, limit, filter).map((item) => item.name);
              assert.deepEqual(found, expectedFor(limit), `round ${round} (${index.segmentCount} segments), query ${JSON.stringify(query)}, ${filterName}, limit ${limit}`);
              compared++;
            }
          }
        }
      }
      assert.ok(compared > 1000);
      assert.ok(index.segmentCount > 1, 'the changes were answered from several segments');
    });
  }

  it('builds a large segment a bounded slice per step: a keystroke during a background build waits for a slice, not a segment', () => {
    // Counted work, not time: calls of the fields' text and of the order per step.
    let textCalls = 0;
    let comparisons = 0;
    const countedFields = itemFields.map((field) => ({ text: (item: Item) => (textCalls++, field.text(item)), weight: field.weight }));
    const index = new SegmentedFuzzyIndex<Item>(countedFields, (item) => item.name.kind, (a, b) => (comparisons++, a.id - b.id));
    const random = new SeededRandom(21);
    const items = generateNames(20_000, random, koreanWords).map((name, id) => ({ name, id }));
    for (const item of items) index.add(item);
    const removedMidway = items.filter((_, at) => at % 97 === 0);
    let steps = 0;
    let mostTexts = 0;
    let mostComparisons = 0;
    for (let more = true; more; steps++) {
      textCalls = 0;
      comparisons = 0;
      more = index.step(16_384);
      mostTexts = Math.max(mostTexts, textCalls);
      mostComparisons = Math.max(mostComparisons, comparisons);
      // Until its last slice a segment built from waiting items is not searchable; removals meanwhile still count.
      if (steps === 5) {
        assert.equal(index.segmentCount, 0, 'nothing is searchable before the first segment is built');
        assert.ok(index.pendingCount > 0);
        for (const item of removedMidway) index.remove(item);
      }
    }
    assert.ok(steps > 20, `${steps} steps`);
    // A field's text is read once per item per field: at most a slice of items per step.
    assert.ok(mostTexts <= BUILD_SLICE_WORK, `${mostTexts} texts read in one step`);
    // The sort is a slice too: a run of 512 sorted at once, or a slice's worth of merging.
    assert.ok(mostComparisons <= 512 * 10 + BUILD_SLICE_WORK, `${mostComparisons} comparisons in one step`);
    const left = items.filter((_, at) => at % 97 !== 0);
    const whole = new FuzzyIndex(left, itemFields, (item) => item.name.kind);
    for (const query of ['ㅅㅇㅈ', '제모', '발ㅍ', 'kafka', '데이', '']) {
      assert.deepEqual(index.search(query, 20, { accept: () => true }), whole.search(query, 20, { accept: () => true }), query);
    }
  });

  it('finds nothing of an item not yet taken in by a step, and nothing of one removed', () => {
    const index = new SegmentedFuzzyIndex<Item>(itemFields, (item) => item.name.kind, (a, b) => a.id - b.id);
    const kafka = { name: { label: 'Kafka stream', path: 'Kafka stream.md', kind: 0 }, id: 1 };
    index.add(kafka);
    assert.deepEqual(index.search('kafka', 10, { accept: () => true }), []);
    assert.equal(index.pendingCount, 1);
    index.step(10);
    assert.deepEqual(index.search('kafka', 10, { accept: () => true }), [kafka]);
    index.remove(kafka);
    assert.deepEqual(index.search('kafka', 10, { accept: () => true }), []);
    assert.deepEqual(index.search('', 10, { accept: () => true }), []);
  });
});
