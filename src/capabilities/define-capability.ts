/**
 * A capability is declared once: name, description, zod input and output, the scope it
 * needs, and a handler. `runCapability` is the one wrapper every front door calls: it
 * validates the input (unknown fields rejected), checks the granted scopes, runs the
 * handler, and validates what the handler returns.
 */
import type { z } from 'zod';
import { TidingsError } from '../errors.ts';
import { hasScopeFor, SCOPE_NEEDS } from '../google/index.ts';
import type { GoogleApi, ScopeNeed } from '../google/index.ts';
import type { WatchBook } from './watch-book.ts';

export interface CapabilityContext {
  /** Bound to one connection. */
  google: GoogleApi;
  /** The user's own setting; null → Calendar settings zone. */
  timeZone: string | null;
  /** e.g. 'en-GB'. */
  locale: string;
  now: () => Date;
  grantedScopes: readonly string[];
  /** The user's new-mail alert rules, bound to the user and this connection. */
  watches?: WatchBook;
}

export interface Capability<
  N extends string = string,
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
> {
  /** Dotted, stable: `gmail.search`. */
  name: N;
  /** For people: a few words (`Search mail`). */
  title: string;
  /** For people and LLMs: what it answers and when to use it. */
  description: string;
  input: I;
  output: O;
  scope: ScopeNeed;
  /**
   * `user`: reads and writes only Tidings' own records of the user (watch rules), so it
   * runs whatever state their Google connections are in, and without any.
   */
  bound?: 'user';
  /**
   * What a run does to the user's records in Tidings: nothing (the default: it only
   * reads), `adds` one (the same arguments again answer the same record) or `removes` one.
   * The chat model is offered only capabilities that read.
   */
  effect?: 'adds' | 'removes';
  handler(ctx: CapabilityContext, input: z.output<I>): Promise<z.input<O>>;
}

/** Any capability, whatever its name and schemas. */
export type AnyCapability = Capability<string, z.ZodType, z.ZodType>;
/** What a caller may pass to that capability (defaults not yet applied). */
export type CapabilityInput<C extends AnyCapability> = z.input<C['input']>;
/** What that capability answers, validated. */
export type CapabilityOutput<C extends AnyCapability> = z.output<C['output']>;

/** Declares a capability; the identity function that lets TypeScript infer the types. */
export function defineCapability<N extends string, I extends z.ZodType, O extends z.ZodType>(
  capability: Capability<N, I, O>,
): Capability<N, I, O> {
  return capability;
}

/** The first problem of a zod error as a field path (`query`, `workingHours.start`). */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid input' };
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    path.push(String(issue.keys[0] ?? ''));
    return { field: path.join('.'), message: 'unknown field' };
  }
  return { field: path.join('.'), message: issue.message };
}

/** Validates, checks scopes, runs, and validates the output of one capability. */
export async function runCapability<C extends AnyCapability>(
  capability: C,
  ctx: CapabilityContext,
  rawInput: unknown,
): Promise<CapabilityOutput<C>> {
  const parsed = capability.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    const where = field === '' ? 'input' : field;
    throw new TidingsError('invalid_request', `${capability.name}: ${where}: ${message}`, {
      field: where,
    });
  }
  if (capability.bound !== 'user' && !hasScopeFor(capability.scope, ctx.grantedScopes)) {
    throw new TidingsError(
      'scope_missing',
      `${capability.name} needs access to ${capability.scope === 'gmail' ? 'Gmail' : 'Google Calendar'}`,
      { scopes: SCOPE_NEEDS[capability.scope] },
    );
  }
  const result = await capability.handler(ctx, parsed.data);
  const output = capability.output.safeParse(result);
  if (!output.success) {
    const { field, message } = firstIssue(output.error);
    throw new Error(
      `${capability.name} produced an invalid result at ${field || '(root)'}: ${message}`,
    );
  }
  // zod types a parse of a generic schema as unknown; this is that schema's output.
  return output.data as CapabilityOutput<C>;
}
