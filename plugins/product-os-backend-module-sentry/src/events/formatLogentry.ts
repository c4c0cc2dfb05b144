import { TEXT_LIMITS } from './bounds';
import { asObject, asString, JsonObject, ownValue, truncate } from './values';

/*
 * Formats a `logentry` the way Sentry's Relay does (`normalize/logentry.rs`, with the `dynfmt`
 * crate): when the SDK sent `params` but no `formatted`, a `message` containing `%` is formatted
 * Python-style (`%s`, `%d`, `%r`, `%(name)s`, `%%`), else one containing `{` with simple curly
 * braces (`{}`, `{0}`, `{name}`). A placeholder without its parameter leaves the template as it
 * is, as in Relay. The output, like the template, is bounded.
 */

const PYTHON_PLACEHOLDER =
  /%(?:\((\w+)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]*([diouxXeEfFgGcrs%])/g;
const CURLY_PLACEHOLDER = /\{(\w+)?\}/g;
/** How deep a parameter that is an object or array is rendered. */
const MAX_PARAM_DEPTH = 5;

/** The message of an event as Sentry shows it: formatted when the SDK sent parameters. */
export function formattedMessage(event: JsonObject): string | undefined {
  const logentry = asObject(event.logentry) ?? asObject(event.message);
  const limit = TEXT_LIMITS.formattedMessage;
  const formatted = asString(logentry?.formatted, limit);
  if (formatted) return formatted;
  const template = asString(logentry?.message, limit);
  if (template && logentry?.params !== undefined && logentry.params !== null) {
    const result = formatTemplate(template, logentry.params, limit);
    if (result !== undefined) return result;
  }
  return template ?? asString(event.message, limit);
}

/** `template` with `params` filled in, at most `limit` characters; undefined when it fails. */
export function formatTemplate(
  template: string,
  params: unknown,
  limit: number,
): string | undefined {
  if (template.includes('%')) return formatPython(template, params, limit);
  if (template.includes('{')) return formatCurly(template, params, limit);
  return undefined;
}

/** A placeholder without its parameter: the template is left as it is. */
class Missing extends Error {}

/** The output reached its bound. */
class Full extends Error {}

function formatPython(
  template: string,
  params: unknown,
  limit: number,
): string | undefined {
  let next = 0;
  const positional = () => {
    if (!Array.isArray(params) || next >= params.length) throw new Missing();
    return params[next++];
  };
  const named = (key: string) => {
    const object = asObject(params);
    const value = object ? ownValue(object, key) : undefined;
    if (value === undefined) throw new Missing();
    return value;
  };
  const count = (spec: string | undefined) => {
    if (spec === undefined) return undefined;
    if (spec !== '*') return Number(spec);
    const value = positional();
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw new Missing();
    return value;
  };
  try {
    return replaceBounded(template, PYTHON_PLACEHOLDER, limit, match => {
      const [, key, flags, widthSpec, precisionSpec, type] = match;
      if (type === '%') return '%';
      const width = Math.min(count(widthSpec) ?? 0, limit);
      const precision = count(precisionSpec);
      const value = key === undefined ? positional() : named(key);
      return pad(convert(value, type, precision, flags, limit), width, flags);
    });
  } catch (error) {
    if (error instanceof Missing) return undefined;
    throw error;
  }
}

function formatCurly(
  template: string,
  params: unknown,
  limit: number,
): string | undefined {
  let next = 0;
  try {
    return replaceBounded(template, CURLY_PLACEHOLDER, limit, match => {
      const key = match[1];
      let value: unknown;
      if (key === undefined || /^\d+$/.test(key)) {
        const index = key === undefined ? next++ : Number(key);
        if (!Array.isArray(params) || index >= params.length)
          throw new Missing();
        value = params[index];
      } else {
        const object = asObject(params);
        value = object ? ownValue(object, key) : undefined;
      }
      if (value === undefined) throw new Missing();
      return display(value, limit);
    });
  } catch (error) {
    if (error instanceof Missing) return undefined;
    throw error;
  }
}

/** Replaces each match of `pattern`, stopping once the output is `limit` characters long. */
function replaceBounded(
  template: string,
  pattern: RegExp,
  limit: number,
  replacement: (match: RegExpExecArray) => string,
): string {
  let output = '';
  let last = 0;
  const regex = new RegExp(pattern.source, 'g');
  for (let match = regex.exec(template); match; match = regex.exec(template)) {
    output += template.slice(last, match.index) + replacement(match);
    last = match.index + match[0].length;
    if (output.length > limit) return truncate(output, limit);
  }
  return truncate(output + template.slice(last), limit);
}

function convert(
  value: unknown,
  type: string,
  precision: number | undefined,
  flags: string,
  limit: number,
): string {
  const sign = (n: number, text: string) =>
    flags.includes('+') && n >= 0 ? `+${text}` : text;
  switch (type) {
    case 'x':
    case 'X':
    case 'o': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw new Missing();
      const radix = type === 'o' ? 8 : 16;
      const digits = Math.abs(value).toString(radix);
      const prefix = flags.includes('#') ? `0${type === 'o' ? 'o' : type}` : '';
      const text = `${value < 0 ? '-' : ''}${prefix}${digits}`;
      return type === 'X' ? text.toUpperCase() : text;
    }
    case 'e':
    case 'E':
      if (typeof value !== 'number') return display(value, limit);
      return sign(value, value.toExponential(Math.min(precision ?? 6, 100)))[
        type === 'E' ? 'toUpperCase' : 'toLowerCase'
      ]();
    case 'r':
      return json(value, limit);
    default:
      if (typeof value === 'number') {
        const fixed =
          precision !== undefined && /[fFgG]/.test(type)
            ? value.toFixed(Math.min(precision, 100))
            : String(value);
        return sign(value, fixed);
      }
      // As in Rust's formatting, a precision cuts a string.
      return precision === undefined
        ? display(value, limit)
        : display(value, limit).slice(0, precision);
  }
}

function pad(text: string, width: number, flags: string): string {
  if (text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (flags.includes('0') && /^[+-]?[\d.]/.test(text)) {
    const signed = /^[+-]/.test(text);
    return signed
      ? text[0] + text.slice(1).padStart(width - 1, '0')
      : text.padStart(width, '0');
  }
  return text.padStart(width);
}

/** A parameter as text: strings as they are, anything else as compact JSON. */
function display(value: unknown, limit: number): string {
  return typeof value === 'string'
    ? truncate(value, limit)
    : json(value, limit);
}

/** Compact JSON of `value`, written only up to `limit` characters and {@link MAX_PARAM_DEPTH}. */
function json(value: unknown, limit: number): string {
  let output = '';
  const write = (part: string) => {
    output += part;
    if (output.length > limit) throw new Full();
  };
  const walk = (node: unknown, depth: number) => {
    if (node === null || typeof node !== 'object') {
      // A string is cut before it is quoted: a parameter may be megabytes long.
      const scalar = typeof node === 'string' ? node.slice(0, limit) : node;
      write(JSON.stringify(scalar) ?? 'null');
      return;
    }
    if (depth >= MAX_PARAM_DEPTH) {
      write(Array.isArray(node) ? '[…]' : '{…}');
      return;
    }
    if (Array.isArray(node)) {
      write('[');
      node.forEach((item, index) => {
        if (index > 0) write(',');
        walk(item, depth + 1);
      });
      write(']');
      return;
    }
    write('{');
    let first = true;
    for (const key in node) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      if (!first) write(',');
      first = false;
      write(`${JSON.stringify(key)}:`);
      walk((node as JsonObject)[key], depth + 1);
    }
    write('}');
  };
  try {
    walk(value, 0);
    return output;
  } catch (error) {
    if (error instanceof Full) return truncate(output, limit);
    throw error;
  }
}
