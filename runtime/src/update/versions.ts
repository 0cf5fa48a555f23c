/**
 * Semantic-version precedence (semver.org §11): major, minor, patch numerically, then a version
 * with a pre-release below the same without one, pre-release identifiers compared one by one.
 * Build metadata (`0.1.0+test.2`) is ignored, so two builds of one version compare equal and a
 * reinstall is not a downgrade. Negative when `a` comes before `b`.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const [core = '', pre] = version.split('+')[0]!.split(/-(.*)/s);
    return { core: core.split('.').map((part) => Number(part)), pre: pre === undefined ? [] : pre.split('.') };
  };
  const left = parse(a.trim().replace(/^v/, ''));
  const right = parse(b.trim().replace(/^v/, ''));
  for (let i = 0; i < 3; i++) {
    const difference = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  if (left.pre.length === 0 || right.pre.length === 0) return Math.sign(right.pre.length - left.pre.length);
  for (let i = 0; i < Math.max(left.pre.length, right.pre.length); i++) {
    const x = left.pre[i];
    const y = right.pre[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const numeric = /^\d+$/;
    if (numeric.test(x) && numeric.test(y)) {
      if (Number(x) !== Number(y)) return Math.sign(Number(x) - Number(y));
    } else if (numeric.test(x) !== numeric.test(y)) {
      return numeric.test(x) ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** A version the comparison can read: `MAJOR.MINOR.PATCH`, optional pre-release and build. */
export const SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
