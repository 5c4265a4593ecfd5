import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs the package when it is missing): no downloaded browser, the machines have no internet. */
export const CHROMIUM = '/usr/bin/chromium';

/** Nothing that reaches for the network on its own: no updates, sync, QUIC or first-run pages. */
const QUIET_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type HeadlessBrowser = { context: BrowserContext; close(): Promise<void> };

/** A headless Chromium on a fresh profile, removed on close. Fails (never skips) when Chromium is missing. */
export async function launchChromium(): Promise<HeadlessBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  const profile = await mkdtemp(join(tmpdir(), 'onecard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: QUIET_ARGS, timeout: 15_000 });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
