import { InputError } from '@backstage/errors';

/**
 * Parses a delivery's body. A webhook is sent as JSON, or with content type
 * `application/x-www-form-urlencoded` as the JSON in the `payload` field.
 */
export function parseWebhookBody(
  body: Buffer,
  contentType: string | undefined,
): unknown {
  let json = body.toString('utf8');
  if (
    contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')
  ) {
    const payload = new URLSearchParams(json).get('payload');
    if (payload === null)
      throw new InputError("Form-encoded webhook body has no 'payload' field");
    json = payload;
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(
      `Webhook body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
