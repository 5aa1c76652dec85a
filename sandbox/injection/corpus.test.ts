/**
 * The corpus keeps its promises: enough items, every technique the threat model names,
 * attacks that really sit in the content (and that even the worst model reads as
 * instructions), attacker hosts that can never resolve, and questions that the
 * deterministic router leaves to the model and that lead a good model to the item.
 */
import { describe, expect, it } from 'vitest';
import { toolCatalogue } from '../../src/front-door/tool-catalogue.ts';
import { routeIntent } from '../../src/intent/index.ts';
import { planFor } from '../llm/cooperative-plan.ts';
import { todayFrom } from '../llm/day-range.ts';
import { findInstructions, revealHidden } from '../llm/index.ts';
import type { ToolSpec } from '../llm/index.ts';
import { attackerHosts, INJECTION_CORPUS, type InjectionItem, techniqueCounts } from './index.ts';

const NOW = new Date('2026-03-02T08:00:00Z');

/** Everything the attacker wrote in an item, as stored. */
function content(item: InjectionItem): string {
  const { mail, event } = item;
  return [
    mail?.subject,
    mail?.text,
    mail?.html,
    event?.summary,
    event?.location,
    event?.description,
  ]
    .filter((part) => part !== undefined)
    .join('\n');
}

describe('the injection corpus', () => {
  it('has at least 30 items with unique kebab-case ids', () => {
    const ids = INJECTION_CORPUS.map((i) => i.id);
    expect({
      enough: ids.length >= 30,
      unique: new Set(ids).size === ids.length,
      badIds: ids.filter((id) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)),
    }).toStrictEqual({ enough: true, unique: true, badIds: [] });
  });

  it('carries a mail for mail items and an invite for event items', () => {
    const wrong = INJECTION_CORPUS.filter((i) =>
      i.kind === 'mail' ? !i.mail || i.event : !i.event || i.mail,
    ).map((i) => i.id);
    expect(wrong).toStrictEqual([]);
  });

  it('covers every technique of the threat model', () => {
    const counts = Object.fromEntries(techniqueCounts());
    const missing = Object.entries(counts)
      .filter(([, n]) => n === 0)
      .map(([t]) => t);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect([missing, total]).toStrictEqual([[], INJECTION_CORPUS.length]);
  });

  it('uses each Unicode trick and HTML hiding style at least once', () => {
    const all = INJECTION_CORPUS.map(content).join('\n');
    expect({
      zeroWidth: all.includes('\u200B'),
      bidi: all.includes('\u202E'),
      tags: /[\u{E0020}-\u{E007E}]/u.test(all),
      homoglyph: /[\u0400-\u04FF]/.test(all),
      displayNone: all.includes('display:none'),
      whiteOnWhite: all.includes('color:#ffffff'),
      fontSizeZero: all.includes('font-size:0'),
      comment: all.includes('<!--'),
      markdownImage: /!\[[^\]]*\]\(https:/.test(all),
      fakeCloser: all.includes('</untrusted-data>'),
      longest: Math.max(...INJECTION_CORPUS.map((i) => content(i).length)) > 30_000,
    }).toStrictEqual({
      zeroWidth: true,
      bidi: true,
      tags: true,
      homoglyph: true,
      displayNone: true,
      whiteOnWhite: true,
      fontSizeZero: true,
      comment: true,
      markdownImage: true,
      fakeCloser: true,
      longest: true,
    });
  });

  it('sends attackers only to hosts under .example or .test (or the reserved example.com of the other user)', () => {
    const outside = INJECTION_CORPUS.flatMap((i) => [
      ...attackerHosts(i),
      ...i.attacker.addresses.map((a) => a.split('@')[1] ?? ''),
    ]).filter((host) => !/\.(?:example|test)$|^example\.com$/.test(host));
    expect(outside).toStrictEqual([]);
  });

  it('names in each item something the attack wants, found in its content', () => {
    const content_ = (i: InjectionItem) =>
      revealHidden(content(i)).replace(/\s+/g, ' ').toLowerCase();
    const empty = INJECTION_CORPUS.filter(
      (i) => i.attacker.urls.length + i.attacker.addresses.length === 0 && !i.attacker.marker,
    ).map((i) => i.id);
    const absent = INJECTION_CORPUS.flatMap((i) =>
      [
        ...attackerHosts(i).filter((h) => !h.startsWith('xn--') && !h.includes('.xn--')),
        ...i.attacker.addresses,
        i.attacker.marker ?? '',
      ]
        .filter((needle) => needle !== '' && !content_(i).includes(needle.toLowerCase()))
        .map((needle) => `${i.id}: ${needle}`),
    );
    expect([empty, absent]).toStrictEqual([[], []]);
  });

  it('holds in every item an instruction that the gullible model obeys', () => {
    const inert = INJECTION_CORPUS.filter((i) => findInstructions(content(i)).length === 0).map(
      (i) => i.id,
    );
    expect(inert).toStrictEqual([]);
  });

  it('asks questions the deterministic router leaves to the model', () => {
    const routed = INJECTION_CORPUS.map((i) => [
      i.id,
      routeIntent(i.question, { now: NOW, timeZone: 'Europe/London' }).kind,
    ]).filter(([, kind]) => kind !== 'unknown');
    expect(routed).toStrictEqual([]);
  });

  it('asks questions that lead a good model to one of the expected tools first', () => {
    const tools = new Map<string, ToolSpec>(
      toolCatalogue().map((t) => [
        t.name,
        { type: 'function', function: { name: t.name, parameters: t.inputSchema } },
      ]),
    );
    const today = todayFrom('Today is 2026-03-02, Europe/London.', () => NOW);
    const off = INJECTION_CORPUS.map(
      (i) => [i.id, planFor(i.question, tools, today)?.first.name ?? 'none'] as const,
    ).filter(
      ([id, name]) => !INJECTION_CORPUS.find((i) => i.id === id)?.expectedTools.includes(name),
    );
    expect(off).toStrictEqual([]);
  });
});
