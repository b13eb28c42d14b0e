import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { GraftError } from '@graft/core';
import { exitCodeFor, formatError } from './exit-codes.js';

describe('exitCodeFor', () => {
  it.each(['UNKNOWN_STRATEGY', 'UNKNOWN_LAYER', 'SITE_NOT_OFFERED', 'INVALID_OPTION', 'NOT_EXACT', 'OUTPUT_EXISTS', 'MODEL_JSON_INVALID', 'WEIGHTS_TOO_LARGE', 'INVALID_ARGUMENT', 'DATA_INVALID', 'NESTED_MODEL', 'UNSUPPORTED_MODEL'] as const)(
    '%s is a refusal (2)',
    (code) => expect(exitCodeFor(new GraftError(code, 'x'))).toBe(2),
  );

  it.each(['NOT_PRESERVED', 'IO_FAILED', 'DATA_NOT_FOUND', 'INVALID_STRATEGY', 'INVALID_GRAPH'] as const)('%s is a failure (1)', (code) =>
    expect(exitCodeFor(new GraftError(code, 'x'))).toBe(1),
  );

  it('maps usage errors to 2, help to 0 and anything else to 1', () => {
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', 'x'))).toBe(0);
    expect(exitCodeFor(new TypeError('boom'))).toBe(1);
  });
});

describe('formatError', () => {
  it('gives one line with the code, and the causes only under debug', () => {
    const error = new GraftError('UNKNOWN_LAYER', 'No layer "x".', { cause: new Error('inner') });
    expect(formatError(error, false)).toBe('error: No layer "x". (UNKNOWN_LAYER)\n');
    const debug = formatError(error, true);
    expect(debug.startsWith('error: No layer "x". (UNKNOWN_LAYER)\nGraftError: No layer "x".\n')).toBe(true);
    expect(debug).toContain('Error: inner');
  });
});
