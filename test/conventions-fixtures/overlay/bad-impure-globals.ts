// pure-uses-impure-global (five times: one per forbidden global)
export function lease(): number[] {
  const a = Date.now();
  const b = new Date().getTime();
  const c = performance.now();
  const d = Math.random();
  const e = Number(process.env.OVERLAY_SUBNET);
  return [a, b, c, d, e];
}
