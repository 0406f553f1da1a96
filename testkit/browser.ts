// The Chromium the trace-page test drives (with playwright-core): the one a
// registry package ships (@sparticuz/chromium: a brotli-packed headless
// build with the NSS and expat libraries it needs), so a fresh machine needs
// nothing installed by hand. CHROMIUM_PATH names another one instead.

export interface Browser { readonly executablePath: string; readonly args: readonly string[] }

const OWN_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function chromiumForTests(): Promise<Browser> {
  const own = process.env.CHROMIUM_PATH;
  if (own) return { executablePath: own, args: OWN_ARGS };
  // The package unpacks its libraries only where it expects a bare system
  // (AWS Lambda's Amazon Linux 2023, which it recognises by this variable);
  // a fresh Debian or Ubuntu is as bare, so it is told so before it loads.
  process.env.AWS_LAMBDA_JS_RUNTIME ??= 'nodejs20.x';
  const { default: chromium } = await import('@sparticuz/chromium');
  return { executablePath: await chromium.executablePath(), args: [...chromium.args, '--disable-quic', '--no-first-run'] };
}
