/*
 * Text from outside (error messages, commit and pull request titles) and a language model's answer
 * are data. These patterns find the parts that read like someone trying to steer the agent, so
 * they can be flagged; nothing is ever done because of them.
 *
 * They are deliberately specific: error messages such as "Cannot call a class as a function" or
 * commit titles such as "Merge pull request #12" must not be flagged.
 */

const PATTERNS: ReadonlyArray<readonly [reason: string, pattern: RegExp]> = [
  [
    'asks to ignore earlier instructions',
    /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|preceding|all|any|your|system)\b[^.\n]{0,20}\b(instructions?|prompts?|rules|directions|guidelines|context)\b/i,
  ],
  [
    'tries to change the assistant’s role',
    /\byou are now\b|\bfrom now on,? you\b|\bpretend (to be|you are)\b|\bact as (an?|the|my) (ai|assistant|model|agent|admin(istrator)?|system|root)\b|\bnew (system )?(instructions|prompt|persona)\b/i,
  ],
  [
    'addresses the model directly',
    /\b(system|developer) (prompt|message|instructions?)\b|^\s*(system|assistant)\s*:|<\/?(system|assistant|instructions?)>|\[\/?INST\]|<\|im_(start|end)\|>|\b(dear|hey|hi) (ai|assistant|chatgpt|llm|model)\b/im,
  ],
  [
    'asks to run a command or tool',
    /\b(run|execute|exec|eval)\b[^.\n]{0,30}\b(curl|wget|bash|powershell|the following|this command|these commands)\b|\b(curl|wget)\s+(-\S+\s+)*[\w.-]+\.[a-z]{2,}\S*|\|\s*(ba|z)?sh\b|\brm\s+-rf\b|\b(call|invoke) (the |a |your )?[\w-]* ?(tool|function call)\b/i,
  ],
  [
    'asks to open or send something to a link',
    /\b(visit|open|go to|click|navigate to|download|fetch|browse to|send\b[^.\n]{0,20}\bto|post\b[^.\n]{0,20}\bto)\b[^.\n]{0,40}(https?:\/\/|www\.)/i,
  ],
  [
    'dictates the answer',
    /\b(say|respond|reply|answer|output|print)\s+(that|only|with|exactly)\b|\b(do not|don't|never)\s+(mention|report|include|reveal|flag|tell)\b/i,
  ],
];

const LINK = /https?:\/\/|\bwww\.[\w-]+\./i;

/**
 * The reasons `text` reads like an instruction to the agent; empty when it does not.
 * With `forModelAnswer`, a link counts too: answers cite evidence ids and never need one.
 */
export function detectInstructions(
  text: string,
  options: { forModelAnswer?: boolean } = {},
): string[] {
  const reasons = PATTERNS.filter(([, pattern]) => pattern.test(text)).map(
    ([reason]) => reason,
  );
  if (options.forModelAnswer && LINK.test(text))
    reasons.push('contains a link');
  return reasons;
}

/** One line of at most `max` characters, to quote untrusted text in a flag. */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
