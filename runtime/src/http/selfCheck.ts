import https from 'node:https';

/**
 * Asks hearthd's own HTTPS listener for its status, as a browser would reach it: TLS with the
 * served certificate chained to the device CA, and an answer. The name is not checked: the
 * certificate is for the device's names, and this asks by loopback address.
 */
export function answersOverHttps(port: number, caPem: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: '127.0.0.1', port, path: '/api/v1/status', ca: caPem, checkServerIdentity: () => undefined, timeout: timeoutMs },
      (response) => {
        response.resume();
        if (response.statusCode === 200) resolve();
        else reject(new Error(`HTTPS answered ${response.statusCode} to /api/v1/status`));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`HTTPS did not answer within ${timeoutMs / 1000} s`)));
    request.on('error', (error) => reject(new Error(`HTTPS did not answer: ${error.message}`)));
  });
}
