/**
 * The part of JSON Schema that tool definitions use (type, properties, required,
 * additionalProperties, enum, string length and pattern, number bounds, items), enough
 * for the cooperative mode to send only arguments a tool accepts. Unknown keywords are
 * ignored, so a schema it does not understand never blocks a call.
 */

type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Schema)
    : null;
}

function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'string':
        return typeof value === 'string';
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'object':
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      case 'array':
        return Array.isArray(value);
      case 'null':
        return value === null;
      default:
        return true;
    }
  });
}

function stringProblems(schema: Schema, value: string, at: string): string[] {
  const problems: string[] = [];
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength)
    problems.push(`${at}: shorter than ${schema.minLength}`);
  if (typeof schema.maxLength === 'number' && length > schema.maxLength)
    problems.push(`${at}: longer than ${schema.maxLength}`);
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
    problems.push(`${at}: does not match ${schema.pattern}`);
  return problems;
}

function numberProblems(schema: Schema, value: number, at: string): string[] {
  const problems: string[] = [];
  if (typeof schema.minimum === 'number' && value < schema.minimum)
    problems.push(`${at}: below ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum)
    problems.push(`${at}: above ${schema.maximum}`);
  return problems;
}

function objectProblems(schema: Schema, value: Record<string, unknown>, at: string): string[] {
  const properties = asSchema(schema.properties) ?? {};
  const problems: string[] = [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const name of required) {
    if (typeof name === 'string' && !(name in value)) problems.push(`${at}.${name}: required`);
  }
  for (const [name, item] of Object.entries(value)) {
    const property = asSchema(properties[name]);
    if (property) problems.push(...schemaProblems(property, item, `${at}.${name}`));
    else if (schema.additionalProperties === false) problems.push(`${at}.${name}: not allowed`);
  }
  return problems;
}

/** What is wrong with `value` under `schema` (empty when it satisfies it). */
export function schemaProblems(schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.type !== undefined && !typeMatches(schema.type, value))
    return [`${at}: not of type ${JSON.stringify(schema.type)}`];
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value))
    return [`${at}: not one of the allowed values`];
  if (typeof value === 'string') return stringProblems(schema, value, at);
  if (typeof value === 'number') return numberProblems(schema, value, at);
  if (Array.isArray(value)) {
    const items = asSchema(schema.items);
    return items ? value.flatMap((item, i) => schemaProblems(items, item, `${at}[${i}]`)) : [];
  }
  if (typeof value === 'object' && value !== null)
    return objectProblems(schema, value as Record<string, unknown>, at);
  return [];
}

/**
 * The arguments with every property the schema would refuse left out (unknown names
 * under `additionalProperties: false`, values of the wrong shape), as a careful model
 * sends them. Required properties are kept even when wrong: leaving them out would not
 * help.
 */
export function fitArguments(
  schema: Record<string, unknown> | undefined,
  args: Record<string, unknown>,
): Record<string, unknown> {
  if (!schema) return args;
  const properties = asSchema(schema.properties) ?? {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const fitted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    const property = asSchema(properties[name]);
    if (!property && schema.additionalProperties === false) continue;
    if (property && schemaProblems(property, value).length > 0 && !required.has(name)) continue;
    fitted[name] = value;
  }
  return fitted;
}
