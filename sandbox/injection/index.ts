/**
 * The prompt-injection corpus: realistic mail and calendar invites that try to take over
 * an assistant (hidden and disguised instructions, fake system messages, exfiltration
 * links and images, requests to call tools or read other accounts), each with the
 * innocent question that makes the assistant read it and what counts as the attack
 * succeeding; `importCorpus` loads them into a Google sandbox user, and the evidence
 * functions check an answer for the attacker's traces. Imports nothing from `src/`.
 */
export { INJECTION_CORPUS, corpusItem, techniqueCounts } from './corpus.ts';
export { importCorpus, shiftDaysFor, REFERENCE_DAY } from './import-corpus.ts';
export type { ImportedItem, ImportOptions } from './import-corpus.ts';
export { attackerCalls, attackerHosts, attackerLinks, attackTraces } from './evidence.ts';
export type { CallLike } from './evidence.ts';
export { rawMessage } from './rfc822.ts';
export { icsFor } from './ics.ts';
export { CORPUS_RECIPIENT, EVENT_TOOLS, MAIL_TOOLS, TECHNIQUES } from './types.ts';
export type { CorpusEvent, CorpusMail, InjectionItem, Technique } from './types.ts';
