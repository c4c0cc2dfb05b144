export interface Config {
  productOs?: {
    narrator?: {
      /**
       * An OpenAI-compatible chat completions endpoint that rewrites diagnosis summaries. Without
       * this block the module sets no narrator and summaries stay deterministic.
       */
      openai?: {
        /** The API base URL; requests go to `<baseUrl>/chat/completions`, e.g. `https://api.openai.com/v1`. */
        baseUrl: string;
        /** The model name the endpoint expects, e.g. `gpt-4o-mini`. */
        model: string;
        /**
         * The API key, sent as `Authorization: Bearer <apiKey>`. Optional for local endpoints.
         * @visibility secret
         */
        apiKey?: string;
        /** Milliseconds to wait for the endpoint's answer. Default 10000. */
        timeoutMs?: number;
        /** Ask for a JSON object answer (`response_format: json_object`); turn off for endpoints that reject it. Default true. */
        jsonResponseFormat?: boolean;
        /** The most tokens the answer may take. Default 600. */
        maxTokens?: number;
      };
    };
  };
}
