import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { badRequest } from './errors';

/**
 * Limits on the shape of a JSON body, checked on the raw bytes before `JSON.parse` and long
 * before validation: a deeply nested body (`{"a":` × 3,000) once overflowed the stack in
 * class-transformer and answered 500. Every body Candor accepts is at most 3 levels deep and has
 * a few dozen keys; the body itself is at most 64 kB.
 */
export const JSON_LIMITS = { maxDepth: 32, maxKeys: 1_000, maxArrayItems: 10_000 } as const;

/** Thrown from the body parser's `verify` step; the exception filter answers 400 `body_too_complex`. */
export class JsonShapeError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.complex';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * What is wrong with the shape of this JSON text, or null. One pass over the bytes, no recursion
 * and no allocation: structural characters are ASCII, so UTF-8 needs no decoding here. Counts
 * object keys (colons outside strings) and array items in the whole body. Malformed JSON is left
 * to the parser.
 */
export function jsonShapeProblem(buf: Uint8Array, limits = JSON_LIMITS): string | null {
  // The open containers, innermost last: true for an array (never longer than maxDepth + 1).
  const arrays: boolean[] = [];
  let inString = false;
  let escaped = false;
  let keys = 0;
  let items = 0;
  let afterOpenArray = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    if (afterOpenArray) {
      afterOpenArray = false;
      if (b !== 0x5d) items++; // the first item of a non-empty array
    }
    switch (b) {
      case QUOTE:
        inString = true;
        break;
      case 0x7b: // {
      case 0x5b: // [
        arrays.push(b === 0x5b);
        if (arrays.length > limits.maxDepth) return `is nested more than ${limits.maxDepth} levels deep`;
        afterOpenArray = b === 0x5b;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        arrays.pop();
        break;
      case 0x3a: // :
        if (++keys > limits.maxKeys) return `has more than ${limits.maxKeys} keys`;
        break;
      case 0x2c: // ,
        if (arrays[arrays.length - 1] === true) items++;
        break;
    }
    if (items > limits.maxArrayItems) return `has more than ${limits.maxArrayItems} array items`;
  }
  return null;
}

/** body-parser's `verify` hook: runs on the raw body, before it is parsed. */
export function verifyJsonShape(_req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  const problem = jsonShapeProblem(buf);
  if (problem) throw new JsonShapeError(problem);
}

/**
 * Characters no text field may hold: C0 controls except tab, line feed and carriage return, DEL,
 * and C1 controls. NUL in particular cannot be stored in PostgreSQL text or jsonb (it answered 500).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** A UTF-16 surrogate without its pair: not a Unicode character, cannot be encoded as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this text is refused, or null. */
export function textProblem(value: string): string | null {
  if (CONTROL.test(value)) return 'must not contain control characters (such as NUL)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text';
  return null;
}

/** Checks every string and key under `value`; problems go to `fields` under their dotted path. */
function collect(value: unknown, path: string, fields: Record<string, string[]>, depth: number): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) (fields[path || 'body'] ??= []).push(problem);
    return;
  }
  if (typeof value !== 'object' || value === null || depth > JSON_LIMITS.maxDepth + 1) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const keyProblem = textProblem(key);
    if (keyProblem) {
      (fields[path || 'body'] ??= []).push(`has a key that ${keyProblem}`);
      continue;
    }
    collect(child, childPath, fields, depth + 1);
  }
}

/**
 * The one place that refuses control characters and broken Unicode in what a request brings:
 * the JSON body, the query string and the route parameters, each reported under its field name
 * (400 `validation_failed`). A global guard, so it runs before every other guard and pipe — and
 * so before anything reads a parameter from the database.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const fields: Record<string, string[]> = {};
    for (const source of [req.params, req.query, req.body] as unknown[]) collect(source, '', fields, 0);
    if (Object.keys(fields).length > 0)
      throw badRequest('validation_failed', 'Some fields are not valid', fields);
    return true;
  }
}
