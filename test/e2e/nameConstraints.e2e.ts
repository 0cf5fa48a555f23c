// The device CA can vouch only for the device, in the browser that trusts it: Chromium, given the
// CA as a trusted root (its NSS database, as "Install the certificate" does on a Linux desktop),
// opens hearthd without a warning, and refuses a certificate that the same CA signed for
// another site (what whoever stole the CA key would make), while one it signed for the device's
// own name, served the same way, opens. Needs NSS's certutil (`apt-get install libnss3-tools`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { issueServerCertificate, type ServerIdentity } from '../../runtime/src/tls/certificates.ts';
import { createClient, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
let home: string;
let browser: Browser;
let context: BrowserContext;
const servers: https.Server[] = [];

/** An HTTPS server on this machine with a certificate the device CA signed for `identity`. */
async function serveSignedFor(identity: ServerIdentity): Promise<number> {
  const ca = { certificatePem: daemon.caPem, privateKeyPem: readFileSync(path.join(daemon.dataDir, 'tls', 'ca.key'), 'utf8') };
  const leaf = await issueServerCertificate(ca, identity, new Date());
  const server = https.createServer({ cert: `${leaf.certificatePem}${daemon.caPem}`, key: leaf.privateKeyPem }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>served</title><h1>served</h1>');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The error Chromium gives for a page, or undefined when it opened. */
async function openError(url: string): Promise<string | undefined> {
  const page = await context.newPage();
  try {
    await page.goto(url, { timeout: 15_000 });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await page.close();
  }
}

test.before(async () => {
  daemon = await startDaemon();
  assert.is((await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup', setupBody())).status, 201);
  home = mkdtempSync(path.join(os.tmpdir(), 'hearth-nss-'));
  const nssdb = path.join(home, '.pki', 'nssdb');
  mkdirSync(nssdb, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', 'Hearth casa', '-t', 'C,,', '-a', '-i', path.join(daemon.dataDir, 'tls', 'ca.crt')]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    env: { ...process.env, HOME: home },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP casa.local 127.0.0.1, MAP bank.example 127.0.0.1',
    ],
  });
  context = await browser.newContext({ ignoreHTTPSErrors: false });
});

test.after(async () => {
  await context?.close();
  await browser?.close();
  for (const server of servers) server.close();
  await daemon?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

test('Chromium trusting the device CA opens hearthd without a warning', async () => {
  assert.is(await openError(`https://localhost:${new URL(daemon.httpsUrl).port}/`), undefined);
  assert.is(await openError(`https://casa.local:${new URL(daemon.httpsUrl).port}/`), undefined);
});

test('a certificate the device CA signed for another site is refused; one for the device opens', async () => {
  const bank = await serveSignedFor({ dnsNames: ['bank.example'], ipAddresses: [] });
  const refused = await openError(`https://bank.example:${bank}/`);
  // Chromium's own verifier reports a name outside the constraints as an invalid certificate.
  assert.match(refused ?? 'it opened', /ERR_CERT_(INVALID|NAME_CONSTRAINT_VIOLATION)\b/, 'Chromium refuses the certificate');
  const device = await serveSignedFor({ dnsNames: ['casa.local'], ipAddresses: [] });
  assert.is(await openError(`https://casa.local:${device}/`), undefined, 'the same CA, the same server, the device’s name: it opens');
});

test.run();
