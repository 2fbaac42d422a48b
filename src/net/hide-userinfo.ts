// An endpoint setting is echoed when it is refused, and a refused one may be refused precisely
// because it carries `user:password@`: the message must not put that password in a CI log.

/** `value` with everything up to its last `@` replaced by `***` (the scheme too: it is not
 * needed to find the mistake, and a password may itself contain `/` or `:`). */
export function hideUserinfo(value: string): string {
  const at = value.lastIndexOf("@");
  return at >= 0 ? `***@${value.slice(at + 1)}` : value;
}
