// Turns a failed request into a sentence for the owner, in the UI language.
import { ApiError } from './api.ts';
import { getLanguage, t } from './i18n.ts';

/** Codes whose server message is specific (it names the problem); others get our own wording. */
const SERVER_WORDED = new Set(['invalid_request', 'weak_passphrase']);

export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t('error.generic', { code: 'client', message: String(error) });
  switch (error.code) {
    case 'network':
      return t('error.network');
    case 'rate_limited':
      return t('error.rate_limited', { seconds: error.retryAfter ?? 60 });
    case 'invalid_credentials':
      return t('error.invalid_credentials');
    case 'wrong_passphrase':
      return t('error.wrong_passphrase');
    case 'setup_code_invalid':
      return t('error.setup_code_invalid');
    case 'setup_done':
      return t('error.setup_done');
  }
  const message = serverMessage(error);
  if (SERVER_WORDED.has(error.code) && message) return message;
  if (getLanguage() === 'en' && message) return message;
  return t('error.generic', { code: error.code, message });
}

/** The server's sentence without the "owner.name: " prefix it puts before field errors. */
function serverMessage(error: ApiError): string {
  const prefix = error.field ? `${error.field}: ` : '';
  return prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/**
 * Counts a rate limit down in `region`, re-enabling `button` when it ends.
 * Returns a function that stops the countdown early.
 */
export function countdown(region: HTMLElement, button: HTMLButtonElement, seconds: number): () => void {
  let left = Math.max(1, Math.ceil(seconds));
  button.disabled = true;
  region.textContent = t('error.rate_limited', { seconds: left });
  const timer = window.setInterval(() => {
    left -= 1;
    if (left <= 0) {
      stop();
      region.textContent = '';
      return;
    }
    // Update visually without re-announcing every second.
    region.setAttribute('aria-live', 'off');
    region.textContent = t('error.rate_limited', { seconds: left });
  }, 1000);
  function stop(): void {
    window.clearInterval(timer);
    region.setAttribute('aria-live', 'assertive');
    button.disabled = false;
  }
  return stop;
}
