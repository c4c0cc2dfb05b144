import type { RequestHandler } from 'express';

/**
 * Answers 408 and closes the connection when a request body has not fully arrived within
 * `timeoutMs` of its headers. Node's own `requestTimeout` (300 s by default) would let a client
 * sending a byte a second hold a socket and a body reader for five minutes per request; the
 * vendor routes are open to the internet, so they get a deadline of their own.
 */
export function bodyDeadline(timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    if (req.complete) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (req.complete) return;
      // The reader still waiting on the body fails once the socket closes; nothing more is read.
      res.once('finish', () => req.socket.destroy());
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      res
        .status(408)
        .set('Connection', 'close')
        .json({
          error: {
            name: 'RequestTimeoutError',
            message: `The request body did not arrive within ${
              timeoutMs / 1000
            } seconds`,
          },
        });
    }, timeoutMs);
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
