import type { ValidationIssue } from './errors.js';

/** The subset of an ajv error object this package reads. */
export interface AjvErrorLike {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  /** Set by ajv on errors raised inside `propertyNames`: the offending key. */
  propertyName?: string;
}

function pointerPart(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Turns ajv's errors into issues a person can act on: the JSON path, the rule, the value found.
 * oneOf/anyOf wrappers are dropped when a more specific error on the same path explains them.
 */
export function toValidationIssues(errors: readonly AjvErrorLike[] | null | undefined, document: unknown): ValidationIssue[] {
  const list = errors ?? [];
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    let path = e.instancePath;
    let found: unknown = valueAt(document, path);
    let message: string;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        path = `${path}/${pointerPart(key)}`;
        found = valueAt(document, path);
        message = `unknown key "${key}" (misspelt, or not part of schema version 1): remove or rename it`;
        break;
      }
      case 'required':
        path = `${path}/${String(e.params.missingProperty)}`;
        found = undefined;
        message = `required key "${String(e.params.missingProperty)}" is missing`;
        break;
      case 'propertyNames':
        // The inner error (pattern) already names the key and its allowed form.
        if (list.some((o) => o !== e && o.propertyName === e.params.propertyName && o.instancePath === e.instancePath)) continue;
        path = `${path}/${pointerPart(String(e.params.propertyName))}`;
        found = String(e.params.propertyName);
        message = `key ${show(e.params.propertyName)} is not an allowed name`;
        break;
      case 'pattern':
        if (e.propertyName !== undefined) {
          path = `${path}/${pointerPart(e.propertyName)}`;
          found = e.propertyName;
          message = `key ${show(e.propertyName)} is not an allowed name: it must match ${String(e.params.pattern)}; rename it (e.g. "Train 1" → "train_1")`;
        } else {
          message = `${show(found)} does not match the allowed form ${String(e.params.pattern)}`;
        }
        break;
      case 'type':
        message = `must be ${String(e.params.type)}, found ${kindOf(found)}${found === null ? '' : ` ${show(found)}`}`;
        break;
      case 'enum':
        message = `must be one of ${show(e.params.allowedValues)}, found ${show(found)}`;
        break;
      case 'const':
        message = `must be ${show(e.params.allowedValue)}, found ${show(found)}`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        message = `${e.message ?? e.keyword}, found ${show(found)}`;
        break;
      case 'oneOf':
      case 'anyOf':
        // The branch errors say more; keep this one only if nothing else names the same path.
        if (list.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== e.keyword)) continue;
        message = `${e.message ?? 'matches no allowed shape'}, found ${show(found)}`;
        break;
      default:
        message = `${e.message ?? `breaks rule ${e.keyword}`}, found ${show(found)}`;
    }
    const key = `${path}|${e.keyword}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, rule: e.keyword, message, found });
  }
  return issues;
}

/** Issues as lines: `/trains/T1/model/speedMps: must be >= 0, found -3 (minimum)`. */
export function formatIssues(issues: readonly ValidationIssue[], limit = 10): string {
  const lines = issues.slice(0, limit).map((i) => `  ${i.path || '/'}: ${i.message} (${i.rule})`);
  if (issues.length > limit) lines.push(`  … and ${issues.length - limit} more`);
  return lines.join('\n');
}
