import { InputError } from '@backstage/errors';

/**
 * Reads the fields Product OS needs from a webhook payload. GitHub's payloads are large and
 * evolve; only what is read is checked, and a missing or mistyped field is a 400 that names it.
 */
export class PayloadObject {
  private constructor(
    private readonly value: Record<string, unknown>,
    private readonly path: string,
  ) {}

  static of(value: unknown, path = 'payload'): PayloadObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(`Webhook field '${path}' must be an object`);
    }
    return new PayloadObject(value as Record<string, unknown>, path);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  object(key: string): PayloadObject {
    return PayloadObject.of(this.value[key], this.name(key));
  }

  optionalObject(key: string): PayloadObject | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  objects(key: string): PayloadObject[] {
    const list = this.value[key];
    if (!Array.isArray(list)) throw this.invalid(key, 'an array');
    return list.map((item, i) =>
      PayloadObject.of(item, `${this.name(key)}[${i}]`),
    );
  }

  string(key: string): string {
    const value = this.value[key];
    if (typeof value !== 'string') throw this.invalid(key, 'a string');
    return value;
  }

  /** A string, or undefined when absent, null or empty. */
  optionalString(key: string): string | undefined {
    if (!this.has(key) || this.value[key] === '') return undefined;
    return this.string(key);
  }

  strings(key: string): string[] {
    const list = this.value[key];
    if (!Array.isArray(list) || list.some(item => typeof item !== 'string')) {
      throw this.invalid(key, 'an array of strings');
    }
    return list as string[];
  }

  /** Numeric ids: GitHub sends numbers, but a string of digits is accepted too. */
  id(key: string): string {
    const value = this.value[key];
    if (typeof value === 'number' && Number.isSafeInteger(value))
      return String(value);
    if (typeof value === 'string' && /^\d+$/.test(value)) return value;
    throw this.invalid(key, 'an integer id');
  }

  integer(key: string): number {
    const value = this.value[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw this.invalid(key, 'an integer');
    }
    return value;
  }

  boolean(key: string): boolean {
    return this.value[key] === true;
  }

  /** An ISO 8601 time, as epoch milliseconds. */
  time(key: string): number {
    const value = this.value[key];
    const ms = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw this.invalid(key, 'an ISO 8601 time');
    return ms;
  }

  optionalTime(key: string): number | undefined {
    return this.has(key) ? this.time(key) : undefined;
  }

  private name(key: string) {
    return `${this.path}.${key}`;
  }

  private invalid(key: string, expected: string) {
    return new InputError(
      `Webhook field '${this.name(key)}' must be ${expected}`,
    );
  }
}
