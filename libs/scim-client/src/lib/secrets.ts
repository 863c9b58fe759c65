const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 6;

/**
 * Remembers the bearer tokens this client has sent (the last few, so a rotated-out token is still covered)
 * and removes them from any text a server hands back before that text reaches an error or a log line.
 */
export class SecretScrubber {
  readonly #secrets: string[] = [];

  remember(secret: string): void {
    // A "token" of a few characters would redact ordinary words everywhere; real bearer tokens are long.
    if (secret.length < MIN_SECRET_LENGTH || this.#secrets.includes(secret)) return;
    this.#secrets.unshift(secret);
    this.#secrets.length = Math.min(this.#secrets.length, 4);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED);
    return result;
  }
}
