/**
 * The language to answer in: the first of `available` that the request's Accept-Language asks
 * for, by weight and then by order (`fr-CA` asks for `fr`); `fallback` when none does.
 */
export function preferredLanguage<L extends string>(header: string | undefined, available: readonly L[], fallback: L): L {
  const wanted = (header ?? '')
    .split(',')
    .map((entry, order) => {
      const [tag = '', ...parameters] = entry.trim().split(';');
      const weight = parameters.map((parameter) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
      return { base: tag.trim().toLowerCase().split('-')[0]!, weight: weight === undefined ? 1 : Number(weight), order };
    })
    .filter((entry) => entry.base !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { base } of wanted) {
    const match = available.find((language) => language === base);
    if (match) return match;
  }
  return fallback;
}
