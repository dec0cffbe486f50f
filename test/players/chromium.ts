/**
 * Headless Chromium for player tests: Debian's `chromium` package at /usr/bin/chromium, driven by playwright-core.
 * When Chromium is missing it is installed with apt-get if we can (root + apt-get); otherwise we fail with a
 * one-line instruction. Never a silent skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const INSTALL_CMD = 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** Makes sure /usr/bin/chromium exists: installs Debian's package when root with apt-get, otherwise throws. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install Debian's package as root: ${INSTALL_CMD}`);
  }
  // eslint-disable-next-line no-console
  console.log(`Chromium not found at ${CHROMIUM_PATH}; installing: ${INSTALL_CMD}`);
  const r = spawnSync('sh', ['-c', INSTALL_CMD], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0 || !existsSync(CHROMIUM_PATH)) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`installing Chromium failed (exit ${String(r.status)}${r.error ? `, ${r.error.message}` : ''}): ${tail}; run as root: ${INSTALL_CMD}`);
  }
  return CHROMIUM_PATH;
}

/** A running headless Chromium; playwright's `launch()` gives it a fresh temporary user-data dir (removed on close). */
export interface ChromiumSession {
  browser: Browser;
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<ChromiumSession> {
  const executablePath = ensureChromium();
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext();
  return {
    browser,
    context,
    version: browser.version(),
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}
