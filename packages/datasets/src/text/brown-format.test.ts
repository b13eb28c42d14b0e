import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { brownFileToText } from './brown-format.js';

describe('brownFileToText', () => {
  it('keeps the words, drops the tags and restores punctuation spacing', () => {
    const source = [
      '',
      '\tThe/at jury/nn said/vbd ,/, ``/`` the/at city/nn ,/, ``/`` (/( of/in Atlanta/np-tl )/) ./. \'\'/\'\' ./.',
      '',
      '\tIs/bez it/pps 1/2/cd or/cc //in ?/.',
    ].join('\n');
    expect(brownFileToText(source, 'cx01')).toBe('The jury said, "the city, "(of Atlanta).".\nIs it 1/2 or /?');
  });

  it('puts one sentence on each line, whatever the blank lines and indentation', () => {
    expect(brownFileToText('\n\n  A/at ./.\n\n\n\tB/np !/.\n', 'f')).toBe('A.\nB!');
  });

  it.each([
    ['a token without a tag', '\tThe/at jury said/vbd', /f:1: token "jury" is not word\/tag/],
    ['an empty word', '\tThe/at /nn', /f:1: token "\/nn"/],
    ['an empty tag', '\n\nThe/', /f:3: token "The\/"/],
    ['no sentence at all', '\n \n', /f: holds no tagged sentence/],
  ])('refuses %s in one line naming the file and line', (_, source, message) => {
    expect(() => brownFileToText(source, 'f')).toThrow(message);
    try {
      brownFileToText(source, 'f');
    } catch (error) {
      expect(isGraftError(error, 'DATA_INVALID')).toBe(true);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
