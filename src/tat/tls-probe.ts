// A plain-HTTP request to a port that speaks only TLS is usually dropped without a word, which
// looks exactly like a reset connection. When an http:// endpoint resets, one TLS handshake to the
// same host and port tells the two apart: no request, no header, no credential is sent by it.
import { connect } from "node:tls";

/**
 * Whether `host:port` answers a TLS handshake within `timeoutMs`: it completes (the certificate is
 * not judged), or the server refuses it with a TLS alert, which only a TLS server sends.
 */
export function speaksTls(hostname: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({
      host: hostname,
      port,
      rejectUnauthorized: false,
      ...(/^[\d.]+$|:/.test(hostname) ? {} : { servername: hostname }),
    });
    const done = (result: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref?.();
    socket.once("secureConnect", () => done(true));
    socket.once("error", (e: Error & { code?: string }) => done(/_ALERT_/.test(e.code ?? "")));
    socket.once("close", () => done(false));
  });
}
