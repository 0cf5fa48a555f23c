// hearthd answers long operations (imports, updates, backups) with NDJSON progress lines. An
// XMLHttpRequest's responseText grows as they arrive; this hands on each whole line once.

/**
 * Returns `read(end)`: call it on each progress event, and with `end` once the answer is complete
 * (a last line may lack its newline). Lines that are not JSON are skipped.
 */
export function ndjsonLines<T>(xhr: XMLHttpRequest, onLine: (line: T) => void): (end?: boolean) => void {
  let consumed = 0;
  return (end = false) => {
    const text = xhr.responseText;
    for (;;) {
      const newline = text.indexOf('\n', consumed);
      if (newline === -1 && !(end && consumed < text.length)) return;
      const raw = text.slice(consumed, newline === -1 ? text.length : newline).trim();
      consumed = newline === -1 ? text.length : newline + 1;
      if (!raw) continue;
      let line: T;
      try {
        line = JSON.parse(raw) as T;
      } catch {
        continue;
      }
      onLine(line);
    }
  };
}
