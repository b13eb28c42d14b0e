import { GraftError } from '@graft/core';

// Brown corpus Form C writes quotes as `` and '' (TeX style); plain text has one double quote for both.
const OPEN_QUOTE = '``';
const CLOSE_QUOTE = "''";
// Words written with no space before them: closing punctuation, and the closing quote.
const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '?', '!', ')', ']', '}', CLOSE_QUOTE]);
// Words written with no space after them: opening brackets and the opening quote.
const NO_SPACE_AFTER = new Set(['(', '[', '{', OPEN_QUOTE]);

/**
 * One Brown corpus file (Form C, POS-tagged) as plain text. The rule, applied the same way to every file:
 *
 * - every non-blank line is one sentence; sentences are written one per line, joined by `\n`;
 * - a line is whitespace-separated tokens `word/tag`; the word is everything before the token's LAST `/`
 *   (so `1/2/cd` is the word `1/2`, `//in` the word `/`); the tag is dropped;
 * - the quotes `` and '' become `"`; words are joined by one space, except that no space goes before
 *   `, . ; : ? ! ) ] }` and a closing quote, nor after `( [ {` and an opening quote.
 *
 * @param file - named in errors.
 * @throws GraftError `DATA_INVALID` naming the file and line when a token has no `/`, an empty word or an empty
 * tag, or when the file holds no sentence.
 */
export function brownFileToText(source: string, file: string): string {
  const sentences: string[] = [];
  const lines = source.split(/\r?\n/);
  lines.forEach((line, index) => {
    const tokens = line.split(/\s+/).filter((token) => token !== '');
    if (tokens.length > 0) sentences.push(joinWords(tokens.map((token) => wordOf(token, file, index + 1))));
  });
  if (sentences.length === 0) throw new GraftError('DATA_INVALID', `${file}: holds no tagged sentence; expected Brown corpus Form C text.`);
  return sentences.join('\n');
}

function wordOf(token: string, file: string, line: number): string {
  const slash = token.lastIndexOf('/');
  if (slash <= 0 || slash === token.length - 1) {
    throw new GraftError('DATA_INVALID', `${file}:${line}: token "${token.slice(0, 40)}" is not word/tag; expected Brown corpus Form C text.`);
  }
  return token.slice(0, slash);
}

function joinWords(words: readonly string[]): string {
  let text = '';
  let glueNext = true;
  for (const word of words) {
    const glue = glueNext || NO_SPACE_BEFORE.has(word);
    text += (glue ? '' : ' ') + (word === OPEN_QUOTE || word === CLOSE_QUOTE ? '"' : word);
    glueNext = NO_SPACE_AFTER.has(word);
  }
  return text;
}
