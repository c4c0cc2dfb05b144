import type { Narration } from '@internal/plugin-product-os-node';

/** The endpoint answered, but not with a narration. */
export class MalformedAnswerError extends Error {
  name = 'MalformedAnswerError';
}

/**
 * Reads the narration out of a chat completions response body. Only the shape is checked here;
 * Product OS checks citations and content before it uses any sentence.
 */
export function parseAnswer(body: string): Narration {
  let completion: any;
  try {
    completion = JSON.parse(body);
  } catch {
    throw new MalformedAnswerError('The response is not JSON');
  }
  const content = completion?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') {
    throw new MalformedAnswerError(
      'The response has no choices[0].message.content',
    );
  }
  // Some models wrap JSON in a Markdown code fence even when asked not to.
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
  let answer: any;
  try {
    answer = JSON.parse(unfenced);
  } catch {
    throw new MalformedAnswerError('The answer is not JSON');
  }
  if (
    !answer ||
    typeof answer !== 'object' ||
    !Array.isArray(answer.sentences)
  ) {
    throw new MalformedAnswerError('The answer has no "sentences" array');
  }
  return {
    sentences: answer.sentences
      .filter((s: any) => s && typeof s.text === 'string')
      .map((s: any) => ({
        text: s.text,
        evidence: Array.isArray(s.evidence)
          ? s.evidence.filter(
              (id: unknown): id is string => typeof id === 'string',
            )
          : [],
      })),
  };
}
