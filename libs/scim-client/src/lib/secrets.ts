const REDACTED = '[redacted]';

/**
 * Remembers the bearer tokens this client has sent (the last few, so a rotated-out token is still covered)
 * and removes them from any text a server hands back before that text reaches an error or a log line.
 */
export class SecretScrubber {
  readonly #secrets: string[] = [];

  remember(secret: string): void {
    if (secret === '' || this.#secrets.includes(secret)) return;
    this.#secrets.unshift(secret);
    this.#secrets.length = Math.min(this.#secrets.length, 4);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED);
    return result;
  }
}
