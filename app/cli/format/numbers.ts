import { InvalidArgumentError } from 'commander';

/** Commander parsers for counts: a bad value is a usage error that names the flag. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a whole number of at least 1, got "${value}".`);
    return n;
  };
}

export function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag} must be a whole number (0 or more), got "${value}".`);
    return n;
  };
}
