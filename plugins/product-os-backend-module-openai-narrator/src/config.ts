import type { Config } from '@backstage/config';

/** Settings of the OpenAI-compatible narrator, with every default in this one place. */
export interface OpenAiNarratorConfig {
  /** Without a trailing slash. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  jsonResponseFormat: boolean;
  maxTokens: number;
}

/** The narrator's settings, or undefined when `productOs.narrator.openai` is absent. */
export function readOpenAiNarratorConfig(
  config: Config,
): OpenAiNarratorConfig | undefined {
  const openai = config.getOptionalConfig('productOs.narrator.openai');
  if (!openai) return undefined;
  return {
    baseUrl: openai.getString('baseUrl').replace(/\/+$/, ''),
    model: openai.getString('model'),
    apiKey: openai.getOptionalString('apiKey'),
    timeoutMs: openai.getOptionalNumber('timeoutMs') ?? 10_000,
    jsonResponseFormat: openai.getOptionalBoolean('jsonResponseFormat') ?? true,
    maxTokens: openai.getOptionalNumber('maxTokens') ?? 600,
  };
}
