/**
 * Every code a {@link BoxwrightError} can carry. `docs/errors.md` describes each one;
 * a test keeps the two lists equal.
 */
export const ERROR_CODES = [
  'TRUNCATED',
  'BAD_BOX_SIZE',
  'BAD_VALUE',
  'TOO_DEEP',
  'TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'UNSUPPORTED_CODEC',
  'NO_TRACK',
  'INTERNAL',
] as const;

/** Machine-readable reason of a {@link BoxwrightError}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one error boxwright throws for bad or unsupported media (and for its own bugs, code `INTERNAL`).
 * `offset` is the byte offset in the input where the problem was found, `path` the box path
 * (`moov/trak[1]/mdia/minf/stbl/stsz`), empty at the top level.
 */
export class BoxwrightError extends Error {
  override readonly name = 'BoxwrightError';
  readonly code: ErrorCode;
  readonly offset: number;
  readonly path: string;
  readonly detail: string;

  constructor(code: ErrorCode, detail: string, offset: number, path: string) {
    // A place we cannot point at (a sample of a track built from several packets) is byte 0, never NaN.
    const at = Number.isFinite(offset) && offset >= 0 ? offset : 0;
    super(`${code}: ${detail} — at ${path || '<root>'}, byte ${at}`);
    this.code = code;
    this.detail = detail;
    this.offset = at;
    this.path = path;
  }
}

/**
 * True when `e` is a {@link BoxwrightError} (optionally with the given code).
 * @example
 * ```ts
 * try { probeMedia(bytes); } catch (e) {
 *   if (isBoxwrightError(e, 'TRUNCATED')) console.error(`cut at byte ${e.offset} (${e.path})`);
 *   else throw e;
 * }
 * ```
 */
export function isBoxwrightError(e: unknown, code?: ErrorCode): e is BoxwrightError {
  return e instanceof BoxwrightError && (code === undefined || e.code === code);
}

/**
 * Runs a parser of media bytes: bad bytes (a BoxwrightError) give undefined, anything else is our bug and
 * propagates. For optional facts (a profile name, a codecs string) that a broken stream simply does not have.
 */
export function unlessBadMedia<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof BoxwrightError) return undefined;
    throw e;
  }
}
