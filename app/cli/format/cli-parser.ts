import { InvalidArgumentError } from 'commander';

/**
 * Wraps a value parser that throws (e.g. FolioError from app/capture/capture-options.ts) so that
 * commander reports its message as a usage error (exit 2) with the flag named.
 */
export function cliParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}
