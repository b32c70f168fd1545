/** Checking the simulation parameters typed into the input boxes. Free of the vscode API. */

/** The simulator's own limits (server/src/sim/simulate.ts), checked here to fail early in the input box. */
export const LIMITS = {
  tasks: { min: 1, max: 65535 },
  cpus: { min: 1, max: 4096 },
  pool: { min: 1, max: 65535 },
} as const;

export type CountParameter = keyof typeof LIMITS;

/** The error to show under the input box, or undefined when `text` is a whole number in range. */
export function validateCount(name: CountParameter, text: string): string | undefined {
  const { min, max } = LIMITS[name];
  if (!/^\s*\d+\s*$/.test(text)) return `Enter a whole number from ${min} to ${max}.`;
  const n = Number(text);
  if (n < min || n > max) return `${name} must be from ${min} to ${max}.`;
  return undefined;
}
