import { trainDataSchema } from '../generated/index.js';
import { RailSchemaError } from '../errors.js';
import type { TargetSection } from './field-map.js';

/** The part of a JSON Schema property the importer checks values against. */
interface PropertySchema {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

interface ObjectSchema {
  required?: readonly string[];
  properties?: Record<string, PropertySchema>;
}

// Read the rules from the schema itself so the importer can never disagree with the validator.
const definitions = (trainDataSchema as unknown as { definitions: Record<string, ObjectSchema> }).definitions;

const DEFINITION_OF: Readonly<Record<TargetSection, string>> = {
  specs: 'Specs',
  model: 'Model',
  wayside: 'Wayside',
  controller: 'Controller',
};

function objectSchema(name: string): ObjectSchema {
  const schema = definitions[name];
  if (!schema) {
    throw new RailSchemaError(
      'IMPORT_FAILED',
      `legacy import: the train_data schema has no definition "${name}"; the generated code is out of date: run \`pnpm codegen\` and rebuild @rail/schema.`,
    );
  }
  return schema;
}

function propertySchema(section: TargetSection, field: string): PropertySchema | undefined {
  const [head, sub] = field.split('.', 2) as [string, string | undefined];
  if (sub !== undefined) return objectSchema('Failures').properties?.[sub];
  return objectSchema(DEFINITION_OF[section]).properties?.[head];
}

/** Required fields of a section (`failures` counts as one field). */
export function requiredFields(section: TargetSection): readonly string[] {
  return objectSchema(DEFINITION_OF[section]).required ?? [];
}

/** Required flags of model.failures. */
export function requiredFailureFlags(): readonly string[] {
  return objectSchema('Failures').required ?? [];
}

function typeOk(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    default:
      return false;
  }
}

/**
 * Why the schema would reject `value` at `section.field`, as a sentence; undefined when it accepts it.
 */
export function schemaRejection(section: TargetSection, field: string, value: unknown): string | undefined {
  const rule = propertySchema(section, field);
  if (!rule) return `the schema has no field ${section}.${field}`;
  if (rule.enum && !rule.enum.includes(value)) return `must be one of ${JSON.stringify(rule.enum)}`;
  if (rule.type !== undefined) {
    const types = typeof rule.type === 'string' ? [rule.type] : rule.type;
    if (!types.some((t) => typeOk(value, t))) return `must be ${types.join(' or ')}`;
  }
  if (typeof value === 'number') {
    if (rule.minimum !== undefined && value < rule.minimum) return `below the schema minimum ${rule.minimum}`;
    if (rule.maximum !== undefined && value > rule.maximum) return `above the schema maximum ${rule.maximum}`;
    if (rule.exclusiveMinimum !== undefined && value <= rule.exclusiveMinimum) return `must be greater than ${rule.exclusiveMinimum}`;
    if (rule.exclusiveMaximum !== undefined && value >= rule.exclusiveMaximum) return `must be less than ${rule.exclusiveMaximum}`;
  }
  return undefined;
}
