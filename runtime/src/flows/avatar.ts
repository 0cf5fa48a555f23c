/**
 * The owner's picture in the flow editor's menu: their initials on Hearth's accent colour (app.css --accent), as an SVG data
 * URL (the editor's policy allows data: images). Node-RED would otherwise show the first two
 * letters of the user name.
 */
export function initialsAvatar(name: string): string {
  const initials = name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((word) => Array.from(new Intl.Segmenter().segment(word))[0]?.segment ?? '')
    .join('')
    .toLocaleUpperCase();
  const text = initials.replace(/[<>&'"]/g, (character) => `&#${character.codePointAt(0)};`);
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#b93d0a"/>' +
    `<text x="20" y="26" font-family="sans-serif" font-size="16" font-weight="600" fill="#fff" text-anchor="middle">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
