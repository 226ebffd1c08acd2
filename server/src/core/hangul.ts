/**
 * Hangul for search: the forms a Korean name is matched in besides its own
 * text, so that what a Korean user types while searching finds it:
 * - **jamo**: every syllable split into its letters (`제목` → `ㅈㅔㅁㅗㄱ`, compound
 *   vowels and final clusters split too), so a syllable still being composed
 *   matches (`제모` → `ㅈㅔㅁㅗ`, a prefix of `제목`; `발ㅍ` → `ㅂㅏㄹㅍ`, of `발표`);
 * - **initials**: every syllable replaced by its initial consonant, other
 *   characters kept (`사용자 속성 추정` → `ㅅㅇㅈ ㅅㅅ ㅊㅈ`, `DEVIEW 발표` →
 *   `deview ㅂㅍ`), for 초성 search (`ㅅㅇㅈ`).
 *
 * The decomposition is es-hangul's (Toss's maintained library), memoized per
 * syllable: there are 11,172 of them, and a vault of 50,000 names decomposes
 * tens of thousands of times faster from the memo than by calling it per name.
 * Texts are expected folded (NFC, lowercase); conjoining jamo left over after
 * NFC (a lone `ᄀ` U+1100, never part of a composed name) count as the
 * compatibility letters they stand for.
 */

import { canBeChoseong, disassemble, disassembleCompleteCharacter } from 'es-hangul';

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
/** Compatibility jamo (ㄱ … ㅣ), what a Korean keyboard types letter by letter. */
const COMPAT_FIRST = 0x3131;
const COMPAT_LAST = 0x318e;
/** Conjoining jamo: initial (U+1100…), medial (U+1161…), final (U+11A8…). */
const CONJOINING_FIRST = 0x1100;
const CONJOINING_LAST = 0x11ff;
const MEDIALS = 21;
const FINALS = 28;

function isSyllable(code: number): boolean {
  return code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST;
}

function isCompatibilityJamo(code: number): boolean {
  return code >= COMPAT_FIRST && code <= COMPAT_LAST;
}

function isConjoiningJamo(code: number): boolean {
  return code >= CONJOINING_FIRST && code <= CONJOINING_LAST;
}

/** Whether the text holds any Hangul: a syllable or a letter. */
export function hasHangul(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSyllable(code) || isCompatibilityJamo(code) || isConjoiningJamo(code)) return true;
  }
  return false;
}

/** Per syllable or jamo code, its letters; filled on first use. */
const jamoMemo = new Map<number, string>();
/** Per syllable code, its initial consonant. */
const initialMemo = new Map<number, string>();

/** The compatibility letters a conjoining jamo stands for, read off es-hangul's decomposition of a syllable holding it. */
function conjoiningLetters(code: number): string {
  const L = code - CONJOINING_FIRST;
  if (L < 19) return disassembleCompleteCharacter(String.fromCharCode(SYLLABLE_FIRST + L * MEDIALS * FINALS))?.choseong ?? '';
  const V = code - 0x1161;
  if (V >= 0 && V < MEDIALS) return disassemble(disassembleCompleteCharacter(String.fromCharCode(SYLLABLE_FIRST + V * FINALS))?.jungseong ?? '');
  const T = code - 0x11a8 + 1;
  if (T >= 1 && T < FINALS) return disassemble(disassembleCompleteCharacter(String.fromCharCode(SYLLABLE_FIRST + T))?.jongseong ?? '');
  return String.fromCharCode(code);
}

function lettersOf(code: number): string {
  let letters = jamoMemo.get(code);
  if (letters === undefined) {
    letters = isConjoiningJamo(code) ? conjoiningLetters(code) : disassemble(String.fromCharCode(code));
    jamoMemo.set(code, letters);
  }
  return letters;
}

function initialOf(code: number): string {
  let initial = initialMemo.get(code);
  if (initial === undefined) {
    initial = disassembleCompleteCharacter(String.fromCharCode(code))?.choseong ?? String.fromCharCode(code);
    initialMemo.set(code, initial);
  }
  return initial;
}

/** The text with every Hangul syllable and letter split into basic letters (`값` → `ㄱㅏㅂㅅ`); other characters as they are. */
export function hangulJamo(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += isSyllable(code) || isCompatibilityJamo(code) || isConjoiningJamo(code) ? lettersOf(code) : text[i];
  }
  return out;
}

/** The text with every Hangul syllable replaced by its initial consonant (`속성 2` → `ㅅㅅ 2`); other characters as they are. */
export function hangulInitials(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSyllable(code)) out += initialOf(code);
    else if (isConjoiningJamo(code)) out += lettersOf(code);
    else out += text[i];
  }
  return out;
}

/**
 * Whether a (folded) query is an initial-consonant query: it has Hangul
 * consonants and no syllable or vowel (`ㅅㅇㅈ`, `deview ㅂㅍ`). Such a query is
 * matched against names' initials; any other query with Hangul, against their jamo.
 */
export function isInitialsQuery(query: string): boolean {
  let consonants = 0;
  for (const letter of hangulJamo(query)) {
    const code = letter.charCodeAt(0);
    if (isSyllable(code)) return false;
    if (!isCompatibilityJamo(code)) continue;
    if (!canBeChoseong(letter)) return false;
    consonants++;
  }
  return consonants > 0;
}
