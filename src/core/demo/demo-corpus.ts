/**
 * The demo corpus: short English prose produced by a small seeded grammar written for RNN Lab.
 * It reads like the notebook of a time traveller and an instrument maker, so the demo echoes
 * d2l's "time traveller" prefix, and its regular structure lets a small model learn visible
 * words and phrases within a minute. Same seed, same text, on every machine.
 */
import { Rng } from '../../engine/rng';

const people = ['the time traveller', 'the instrument maker', 'the young engineer', 'the old librarian', 'the medical man', 'the editor', 'the psychologist', 'my friend'];
const things = ['the machine', 'the brass lever', 'the crystal bar', 'the small clock', 'the lamp', 'the notebook', 'the model', 'the quartz rod', 'the ivory dial', 'the heavy door'];
const places = ['in the laboratory', 'by the fire', 'under the white sphinx', 'in the garden', 'at the long table', 'on the hill', 'beside the river', 'in the great hall', 'near the old well', 'in the workshop'];
const times = ['at dawn', 'in the evening', 'after dinner', 'the next morning', 'late that night', 'in the year eight hundred thousand', 'a moment later', 'for a long time', 'before the lamps were lit', 'when the clock struck ten'];
const adjectives = ['strange', 'quiet', 'bright', 'ancient', 'curious', 'silent', 'broken', 'golden', 'grey', 'patient'];
const verbs = ['looked at', 'turned', 'touched', 'studied', 'carried', 'described', 'mended', 'measured', 'remembered', 'followed'];
const feelings = ['wonder', 'doubt', 'fear', 'delight', 'patience', 'a kind of hope', 'great curiosity', 'some surprise'];
const sayings = [
  'time is only a kind of space',
  'we move freely in three directions but not in the fourth',
  'every machine remembers the hand that made it',
  'a small error at the start becomes a large one at the end',
  'the future is a country we visit one step at a time',
  'what we learn from the past we carry forward',
  'the hidden state holds what the eye forgets',
  'a long sequence needs a patient memory',
];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.nextInt(items.length)]!;
const capital = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
/** Two different adjectives, joined by "and". */
const pair = (rng: Rng): string => {
  const a = rng.nextInt(adjectives.length);
  const b = (a + 1 + rng.nextInt(adjectives.length - 1)) % adjectives.length;
  return `${adjectives[a]} and ${adjectives[b]}`;
};

type Sentence = (rng: Rng) => string;

const sentences: readonly Sentence[] = [
  (r) => `${capital(pick(r, people))} ${pick(r, verbs)} ${pick(r, things)} ${pick(r, places)}.`,
  (r) => `${capital(pick(r, times))}, ${pick(r, people)} ${pick(r, verbs)} ${pick(r, things)} with ${pick(r, feelings)}.`,
  (r) => `"${capital(pick(r, sayings))}," said ${pick(r, people)}.`,
  (r) => `${capital(pick(r, things))} was ${pair(r)}, and ${pick(r, people)} ${pick(r, verbs)} it ${pick(r, times)}.`,
  (r) => `There was ${pick(r, feelings)} ${pick(r, places)}, for ${pick(r, things)} had become ${pick(r, adjectives)}.`,
  (r) => `${capital(pick(r, people))} said that ${pick(r, sayings)}.`,
  (r) => `We sat ${pick(r, places)} ${pick(r, times)} and spoke of ${pick(r, things)}.`,
];

/** Paragraphs of 3–6 sentences until `targetChars` characters are reached. */
export function generateDemoCorpus(seed = 2026, targetChars = 60_000): string {
  const rng = new Rng(seed);
  const paragraphs: string[] = [];
  let length = 0;
  while (length < targetChars) {
    const count = 3 + rng.nextInt(4);
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(pick(rng, sentences)(rng));
    const paragraph = parts.join(' ');
    paragraphs.push(paragraph);
    length += paragraph.length + 2;
  }
  return `${paragraphs.join('\n\n')}\n`;
}
