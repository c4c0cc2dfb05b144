export class SmtpError extends Error {
  name = 'SmtpError';
}

/** Hands an e-mail to the mail relay, which sheds load with 421. */
export function sendEmail(template: string, relayCode: number): void {
  if (relayCode === 421) {
    throw new SmtpError(
      `421 Service not available: relay refused the ${template} e-mail`,
    );
  }
}
