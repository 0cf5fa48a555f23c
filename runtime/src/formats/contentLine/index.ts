// The content-line grammar vCard (RFC 6350) and iCalendar (RFC 5545) share: folded lines,
// NAME;PARAM=value:value, and the escaping of text values.
export { type ContentLine, type UnfoldOptions, Unfolder } from './unfold.ts';
export { type Property, parseContentLine, paramUpper, splitUnescaped, unescapeText } from './read.ts';
export { escapeText, foldLine, paramValue } from './write.ts';
