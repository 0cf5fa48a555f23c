/**
 * The language to answer in: the first of `available` that the request's Accept-Language asks
 * for, by weight and then by order (`fr-CA` asks for `fr`); `fallback` when none does.
 */
export function preferredLanguage<L extends string>(header: string | undefined, available: readonly L[], fallback: L): L {
  const wanted = (header ?? '')
    .split(',')
    .map((entry, order) => {
      const [tag = '', ...parameters] = entry.trim().split(';');
      const q = parameters.find((parameter) => /^\s*q\s*=/i.test(parameter));
      // RFC 9110's qvalue is 0 to 1 with three decimals at most; anything else asks for nothing.
      const weight = q === undefined ? 1 : /^\s*q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/i.test(q) ? Number(q.split('=')[1]) : 0;
      return { base: tag.trim().toLowerCase().split('-')[0]!, weight, order };
    })
    .filter((entry) => entry.base !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { base } of wanted) {
    const match = available.find((language) => language === base);
    if (match) return match;
  }
  return fallback;
}
