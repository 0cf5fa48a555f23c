import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;

test.before(async () => {
  daemon = await startDaemon();
});
test.after(async () => {
  await daemon.stop();
});

/** The protocol and suite agreed, or the handshake's error. */
function handshake(port: number, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: daemon.caPem, servername: 'localhost', ...options }, () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
      socket.destroy();
    });
    socket.on('error', (error) => resolve(`refused: ${error.message}`));
  });
}

const CBC_ONLY = ['ECDHE-ECDSA-AES128-SHA256', 'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA', 'AES128-SHA256', 'AES128-SHA'].join(':');

for (const listener of ['HTTPS', 'MQTTS'] as const) {
  const port = () => (listener === 'HTTPS' ? daemon.httpsPort : daemon.mqttsPort!);

  test(`${listener}: a TLS 1.2 client that offers only CBC suites is refused`, async () => {
    assert.match(await handshake(port(), { maxVersion: 'TLSv1.2', ciphers: CBC_ONLY }), /^refused: .*(handshake failure|no shared cipher)/i);
  });

  test(`${listener}: TLS 1.2 with an AEAD suite, and TLS 1.3, are served; TLS 1.1 is not`, async () => {
    assert.match(await handshake(port(), { maxVersion: 'TLSv1.2' }), /^TLSv1\.2 ECDHE-ECDSA-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)$/);
    assert.is(await handshake(port(), { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' }), 'TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305');
    assert.match(await handshake(port(), {}), /^TLSv1\.3 TLS_/);
    assert.match(await handshake(port(), { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' }), /^refused/);
  });
}

test.run();
