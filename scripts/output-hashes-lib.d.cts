// Types of output-hashes-lib.cjs (for test/mux/output-identity.test.ts).

/** The calls the cases make, from either build. */
export interface OutputHashApi {
  createFragmentedMp4(data: Uint8Array): { data: Uint8Array };
  streamCopy(data: Uint8Array, options: { format: 'mp4' | 'mov' | 'm4a' | 'fmp4' | 'ts'; map?: 'all' }): Uint8Array;
  streamCopyChunks(data: Uint8Array, options: { format: 'mp4' | 'mov' | 'm4a' | 'fmp4' | 'ts'; map?: 'all' }): Uint8Array[];
  createTransmuxer(callbacks: { onInit(init: Uint8Array): void; onFragment(fragment: Uint8Array): void }): { push(chunk: Uint8Array): void; flush(): void };
}

/** Per input name (`samples/…`, `thirdparty/…`), per case name: a sha256 (hex), `error: CODE` or `crash: Name`. */
export type OutputHashes = Record<string, Record<string, string>>;

export declare const FORMATS: readonly string[];
export declare const MAX_INPUT_BYTES: number;
export declare function listInputs(repo: string): Array<{ name: string; path: string }>;
export declare function hashInput(api: OutputHashApi, name: string, data: Uint8Array): Record<string, string>;
export declare function computeOutputHashes(api: OutputHashApi, repo: string, onInput?: (name: string) => void): { hashes: OutputHashes; skipped: string[] };
export declare function formatGolden(hashes: OutputHashes): string;
export declare function diffHashes(golden: OutputHashes, now: OutputHashes): string[];
