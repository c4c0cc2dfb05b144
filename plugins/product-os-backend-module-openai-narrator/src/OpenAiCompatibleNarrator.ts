import type {
  DiagnosisNarrator,
  Narration,
  NarrationInput,
} from '@internal/plugin-product-os-node';
import type { OpenAiNarratorConfig } from './config';
import { parseAnswer } from './parseAnswer';
import { buildMessages } from './prompt';

/** A larger answer is not a summary; reading stops there. */
const MAX_RESPONSE_BYTES = 1_000_000;

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error(
        `The response is larger than ${MAX_RESPONSE_BYTES} bytes`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Narrates with any OpenAI-compatible chat completions endpoint (OpenAI, Azure OpenAI's
 * compatible API, vLLM, Ollama, LiteLLM, ...) through Node's fetch. It throws on any failure;
 * Product OS then keeps the deterministic summary.
 */
export class OpenAiCompatibleNarrator implements DiagnosisNarrator {
  readonly id = 'openai';

  constructor(private readonly config: OpenAiNarratorConfig) {}

  async narrate(
    input: NarrationInput,
    signal: AbortSignal,
  ): Promise<Narration> {
    const { baseUrl, model, apiKey, timeoutMs, jsonResponseFormat, maxTokens } =
      this.config;
    const response = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
      },
      body: JSON.stringify({
        model,
        messages: buildMessages(input),
        temperature: 0,
        max_tokens: maxTokens,
        ...(jsonResponseFormat
          ? { response_format: { type: 'json_object' } }
          : {}),
      }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const body = await readLimited(response);
    if (!response.ok) {
      throw new Error(
        `The chat completions endpoint answered ${
          response.status
        }: ${body.slice(0, 200)}`,
      );
    }
    return parseAnswer(body);
  }
}
